// ServerlessReco in one resource group: a Flex Consumption function app, storage, serverless Cosmos DB,
// monitoring, one user-assigned identity and a Key Vault for the pseudonym key. Keyless: no setting holds
// a key or a connection string with a secret (the pseudonym key is a Key Vault reference); the identity's
// role assignments grant all access. Serverless everywhere, so an idle
// deployment costs close to nothing.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@minLength(1)
@maxLength(10)
@description('Short lowercase prefix in every resource name (letters and digits).')
param namePrefix string = 'reco'

@minValue(0)
@maxValue(3650)
@description('Days events are kept (Cosmos DB time-to-live); 0 keeps them until they are erased.')
param retentionDays int = 365

@minValue(0)
@maxValue(3650)
@description('Days served recommendation lists are kept (their own Cosmos DB time-to-live); 0 keeps them until they are erased.')
param servedListRetentionDays int = 30

@description('When the model is retrained: six-field CRON (seconds first) for the timer trigger.')
param retrainSchedule string = '0 0 * * * *'

@description('Browser origins allowed to call the API, e.g. [\'https://shop.example.com\']; empty allows none.')
param allowedCorsOrigins array = []

@description('Whether the anonymous read routes under /api/public/ answer; off, they are disabled and answer 404.')
param allowAnonymousReads bool = false

@description('Whether this provision writes the pseudonym key secret. The preprovision hook sets RECO_CREATE_PSEUDONYM_KEY to true only when the vault holds no key and nothing else of this environment exists; otherwise the secret is left as it is, so a provision never replaces the key.')
param createPseudonymKey bool = false

@secure()
// Checked for the length of a key (44 characters, base64 of 32 bytes) in app/pseudonym-key.bicep, which only runs
// when there is a key to write: a provision that keeps the vault's key passes none.
@description('New secret key (base64 of 32 random bytes) under which user ids are pseudonymised, written only when createPseudonymKey is true. The preprovision hook generates RECO_PSEUDONYM_KEY for the first provision only; a new key changes every pseudonym.')
param pseudonymKey string

@description('Whether this provision writes the shopper-token keys secret (shopper-token-keys). The preprovision hook sets RECO_CREATE_SHOPPER_TOKEN_KEYS to true only when the vault holds none; otherwise the secret, and so every live token, is left as it is.')
param createShopperTokenKeys bool = false

@secure()
@description('The first shopper-token signing key entry (kid:base64 of 32 random bytes), written only when createShopperTokenKeys is true.')
param shopperTokenKeys string = ''

@description('Principal id of the developer running azd (AZURE_PRINCIPAL_ID), given data access for local runs; empty for none.')
param principalId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var prefix = toLower(namePrefix)
var tags = {
  'azd-env-name': environmentName
}

var databaseName = 'reco'
var modelsContainerName = 'models'
var deploymentContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${prefix}-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: take('${abbrs.storageStorageAccounts}${prefix}${resourceToken}', 24)
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    modelsContainerName: modelsContainerName
  }
}

module database 'app/database.bicep' = {
  name: 'database'
  scope: rg
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${prefix}-${resourceToken}'
    location: location
    tags: tags
    databaseName: databaseName
    retentionDays: retentionDays
    servedListRetentionDays: servedListRetentionDays
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${prefix}-${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${prefix}-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    cosmosAccountName: database.outputs.name
    cosmosDatabaseName: database.outputs.databaseName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    // Vault names are global and at most 24 characters.
    name: take('${abbrs.keyVaultVaults}${prefix}${resourceToken}', 24)
    location: location
    tags: tags
    createPseudonymKey: createPseudonymKey
    pseudonymKey: pseudonymKey
    createShopperTokenKeys: createShopperTokenKeys
    shopperTokenKeys: shopperTokenKeys
    identityPrincipalId: identity.outputs.principalId
  }
}

module diagnostics 'app/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  params: {
    workspaceId: monitoring.outputs.logAnalyticsId
    keyVaultName: keyVault.outputs.name
    cosmosAccountName: database.outputs.name
    storageAccountName: storage.outputs.name
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}${prefix}-${resourceToken}'
    planName: '${abbrs.webServerFarms}${prefix}-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobServiceUri: storage.outputs.blobServiceUri
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    cosmosEndpoint: database.outputs.endpoint
    cosmosDatabaseName: database.outputs.databaseName
    modelsContainerName: storage.outputs.modelsContainerName
    retentionDays: retentionDays
    servedListRetentionDays: servedListRetentionDays
    retrainSchedule: retrainSchedule
    allowedCorsOrigins: allowedCorsOrigins
    allowAnonymousReads: allowAnonymousReads

    pseudonymKeyUri: keyVault.outputs.pseudonymKeyUri
    shopperTokenKeysUri: keyVault.outputs.shopperTokenKeysUri
  }
  // The app starts pulling its package and writing host state as soon as it exists: grant first.
  dependsOn: [
    rbac
  ]
}

// azd stores these in the environment (`azd env get-values`); the postprovision hook turns them into
// local.settings.json.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_SERVICE_URI string = storage.outputs.blobServiceUri
output MODEL_STORAGE_CONTAINER string = storage.outputs.modelsContainerName
output COSMOS_ENDPOINT string = database.outputs.endpoint
output COSMOS_DATABASE string = database.outputs.databaseName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output RECO_RETENTION_DAYS int = retentionDays
output RECO_RETRAIN_SCHEDULE string = retrainSchedule
// The hook writes them to local.settings.json as Host.CORS, so that func start and the local host allow the same origins.
output RECO_CORS_ORIGINS string = join(allowedCorsOrigins, ',')
