// Who read or changed what: the data-plane and audit logs of the stores that hold the shop's data and the key go to
// the Log Analytics workspace, in resource-specific tables (logAnalyticsDestinationType 'Dedicated'). Key Vault:
// every secret read and change (AuditEvent). Cosmos DB: every data request with its caller and charge
// (DataPlaneRequests), query statistics (QueryRuntimeStatistics, texts obfuscated) and control-plane changes such
// as keys and role assignments (ControlPlaneRequests). Blob storage: every read, write and delete of models, the
// deployment package and host state (on the blob service, where these categories live). Metrics are not exported:
// Azure Monitor keeps platform metrics without a setting.

@description('Resource id of the Log Analytics workspace the logs go to.')
param workspaceId string
param keyVaultName string
param cosmosAccountName string
param storageAccountName string

var settingName = 'to-log-analytics'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'
  }
}

resource keyVaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: vault
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource cosmosLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: cosmos
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'DataPlaneRequests'
        enabled: true
      }
      {
        category: 'QueryRuntimeStatistics'
        enabled: true
      }
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
    ]
  }
}

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: storage::blobServices
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}
