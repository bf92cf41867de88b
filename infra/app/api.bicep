// The Flex Consumption function app (Linux, .NET 10 isolated worker) and its plan.
// Every app setting below is an endpoint, a name, the identity's client id or a Key Vault reference:
// nothing in them grants access. Access comes from the role assignments in rbac.bicep.

param name string
param planName string
param location string
param tags object

@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

@description('Blob endpoint of the storage account for the host and the deployment package.')
param blobServiceUri string
param deploymentContainerName string

param applicationInsightsConnectionString string

param cosmosEndpoint string
param cosmosDatabaseName string
param modelsContainerName string

@minValue(0)
param retentionDays int
param servedListRetentionDays int
param retrainSchedule string
param allowedCorsOrigins array

@description('Whether the anonymous read routes under /api/public/ answer (Reco__AllowAnonymousReads).')
param allowAnonymousReads bool

@description('Versionless URI of the pseudonym key secret in Key Vault, read as the identity through a Key Vault reference.')
param pseudonymKeyUri string

@description('Versionless URI of the shopper-token keys secret in Key Vault (ShopperTokens__SigningKeys), read as the identity.')
param shopperTokenKeysUri string

@description('Memory of each instance; 4096 MB leaves room for training in the retrain timer.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 4096

@description('Upper bound on scale-out, which is also the upper bound on cost under load.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

var publicFunctionsDisabled = allowAnonymousReads ? 'false' : 'true'

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd deploys the `api` service of azure.yaml to the resource carrying this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings are resolved as this identity (the default would be a
    // system-assigned identity, which the app does not have).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: allowedCorsOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobServiceUri}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Flex Consumption sets FUNCTIONS_WORKER_RUNTIME and the extension version from functionAppConfig;
  // they must not appear here.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage through the identity, blob only: the host keeps its locks (the timer's singleton lease),
      // the timer's schedule status and the function keys in blobs, for which the identity is Storage Blob Data
      // Owner. No accountName (which would also point the host at the queue and table services, where the
      // identity has no role) and no queue or table URI: no trigger here uses a queue, and without a table URI
      // the host skips persisting its diagnostic events rather than failing on them.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: blobServiceUri

      // Telemetry: the connection string only locates the resource; Authorization=AAD makes the app
      // send an Entra token from the identity, the only thing App Insights accepts with local auth off.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // The app's own settings (read by ServerlessReco.Hosting).
      Cosmos__Endpoint: cosmosEndpoint
      Cosmos__Database: cosmosDatabaseName
      Cosmos__ClientId: identityClientId
      ModelStorage__BlobServiceUri: blobServiceUri
      ModelStorage__Container: modelsContainerName
      ModelStorage__ClientId: identityClientId
      Reco__RetentionDays: string(retentionDays)
      Reco__ServedListRetentionDays: string(servedListRetentionDays)
      Reco__RetrainSchedule: retrainSchedule
      Reco__AllowAnonymousReads: allowAnonymousReads ? 'true' : 'false'

      // Defence in depth: while anonymous reads are off, the host does not even run the anonymous functions
      // (the code would answer 404 anyway). The names are the [Function] names of PublicRecommendationsFunctions.
      'AzureWebJobs.GetPublicRecommendations.Disabled': publicFunctionsDisabled
      'AzureWebJobs.GetPublicSimilarItems.Disabled': publicFunctionsDisabled
      'AzureWebJobs.GetPublicTrending.Disabled': publicFunctionsDisabled

      // A reference, never the key: the platform reads the secret as the identity when the app starts.
      Reco__PseudonymKey: '@Microsoft.KeyVault(SecretUri=${pseudonymKeyUri})'
      // Clients are public: in Azure every client route wants a shopper token, minted by the shop's server with these keys.
      ShopperTokens__Required: 'true'
      ShopperTokens__SigningKeys: '@Microsoft.KeyVault(SecretUri=${shopperTokenKeysUri})'
    }
  }

  // No FTP or SCM basic-auth publishing: azd deploys with an Entra token.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
