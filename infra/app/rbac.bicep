// Role assignments for the app's identity and, optionally, the deploying developer (so that a local
// `func start` signed in with `az login` reaches the same data). Each assignment is named
// guid(scope, principal, role) so that redeploying finds the same assignment instead of adding one.

param storageAccountName string
param cosmosAccountName string
@description('The one Cosmos DB database the app reads and writes; the data role is scoped to it.')
param cosmosDatabaseName string
param applicationInsightsName string

@description('Principal id of the app\'s user-assigned identity.')
param identityPrincipalId string

@description('Principal id of the developer running azd; empty to grant nothing to a person.')
param developerPrincipalId string = ''

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Cosmos DB data-plane role (not an Azure RBAC role): Cosmos DB Built-in Data Contributor.
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var cosmosDataContributorId = '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
// Data-plane scopes are paths under the account: '/dbs/<name>' grants that database (its containers), not the account.
var cosmosDatabaseScope = '${cosmos.id}/dbs/${cosmosDatabaseName}'

// The app's identity.

resource identityStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource identityMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

resource identityCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identityPrincipalId, cosmosDataContributor)
  properties: {
    principalId: identityPrincipalId
    roleDefinitionId: cosmosDataContributorId
    scope: cosmosDatabaseScope
  }
}

// The developer (azd passes AZURE_PRINCIPAL_ID).

resource developerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(developerPrincipalId)) {
  name: guid(storage.id, developerPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: developerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource developerMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(developerPrincipalId)) {
  name: guid(applicationInsights.id, developerPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: developerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

resource developerCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (!empty(developerPrincipalId)) {
  parent: cosmos
  name: guid(cosmos.id, developerPrincipalId, cosmosDataContributor)
  properties: {
    principalId: developerPrincipalId
    roleDefinitionId: cosmosDataContributorId
    scope: cosmosDatabaseScope
  }
}
