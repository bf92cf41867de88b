// The Key Vault that holds the pseudonym key: the secret under which user ids become the pseudonyms that
// are stored. The app reads it through a Key Vault reference in its settings, as its managed identity;
// access is Azure RBAC only (no access policies), and the vault cannot be purged while soft-deleted, because
// losing the key would orphan every stored event (they could no longer be found, or erased, by user id).

param name string
param location string
param tags object

@secure()
@minLength(44)
@description('The pseudonym key, base64 of 32 random bytes; the preprovision hook keeps it in the azd environment.')
param pseudonymKey string

@description('Principal id of the app\'s user-assigned identity, which reads the secret.')
param identityPrincipalId string

// Built-in role: Key Vault Secrets User (read secret values, nothing else).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    accessPolicies: []
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // The Flex Consumption app has no virtual network here: it resolves the reference over the public
    // endpoint, where only an Entra token with the role below gets the secret.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource pseudonymKeySecret 'secrets' = {
    name: 'pseudonym-key'
    properties: {
      value: pseudonymKey
      contentType: 'base64'
    }
  }
}

resource identitySecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

output name string = vault.name
// The versionless URI: the app reads the current version.
output pseudonymKeyUri string = vault::pseudonymKeySecret.properties.secretUri
