// Storage for the Functions host, the deployment package (Flex Consumption pulls it from a blob container)
// and the versioned models. Reached only with Entra ID: shared keys are off, so no connection string works.

@description('Storage account name: 3-24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param name string
param location string
param tags object

@description('Container the Flex Consumption app deploys its package from.')
param deploymentContainerName string

@description('Container for trained models (ModelStorage__Container).')
param modelsContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Flex Consumption without a virtual network reaches storage over the public endpoint, with Entra ID.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    resource modelsContainer 'containers' = {
      name: modelsContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

output name string = storage.name
output blobServiceUri string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = storage::blobServices::deploymentContainer.name
output modelsContainerName string = storage::blobServices::modelsContainer.name
