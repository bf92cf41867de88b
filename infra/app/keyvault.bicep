// The Key Vault that holds the pseudonym key: the secret under which user ids become the pseudonyms that
// are stored. The app reads it through a Key Vault reference in its settings, as its managed identity, which may
// read that one secret and nothing else; access is Azure RBAC only (no access policies), and the vault cannot be
// purged while soft-deleted, because losing the key would orphan every stored event (they could no longer be
// found, or erased, by user id). The secret is written once (pseudonym-key.bicep), never on a later provision.

param name string
param location string
param tags object

@description('Whether to write the pseudonym key secret: true only when the preprovision hook found none to keep.')
param createPseudonymKey bool

@secure()
@description('The new pseudonym key (base64 of 32 random bytes) when createPseudonymKey is true; otherwise unused and empty.')
param pseudonymKey string

@description('Whether to write the shopper-token keys secret: true only when the preprovision hook found none to keep.')
param createShopperTokenKeys bool = false

@secure()
@description('The first shopper-token signing key entry (kid:base64) when createShopperTokenKeys is true; otherwise unused and empty.')
param shopperTokenKeys string = ''

@description('Principal id of the app\'s user-assigned identity, which reads the secret.')
param identityPrincipalId string

// Built-in role: Key Vault Secrets User (read secret values, nothing else).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretName = 'pseudonym-key'
var tokenKeysSecretName = 'shopper-token-keys'

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
}

module newPseudonymKey 'pseudonym-key.bicep' = if (createPseudonymKey) {
  name: 'pseudonym-key'
  params: {
    vaultName: vault.name
    secretName: secretName
    pseudonymKey: pseudonymKey
  }
}

// The secret as it is, whether this provision wrote it or an earlier one did.
resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

// Scoped to the one secret (Key Vault allows role assignments on a single secret), not the vault.
resource identitySecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(pseudonymKeySecret.id, identityPrincipalId, keyVaultSecretsUser)
  scope: pseudonymKeySecret
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
  dependsOn: [
    newPseudonymKey
  ]
}

module newShopperTokenKeys 'shopper-token-keys.bicep' = if (createShopperTokenKeys) {
  name: 'shopper-token-keys'
  params: {
    vaultName: vault.name
    secretName: tokenKeysSecretName
    shopperTokenKeys: shopperTokenKeys
  }
}

resource shopperTokenKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: tokenKeysSecretName
}

// The app validates tokens with these keys; as with the pseudonym key, the role is on the one secret.
resource identityTokenKeysUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(shopperTokenKeysSecret.id, identityPrincipalId, keyVaultSecretsUser)
  scope: shopperTokenKeysSecret
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
  dependsOn: [
    newShopperTokenKeys
  ]
}

output name string = vault.name
// The versionless URI: the app reads the current version. Built from the vault's URI rather than read from the
// secret, which a provision that writes no secret does not deploy.
output pseudonymKeyUri string = '${vault.properties.vaultUri}secrets/${secretName}'
output shopperTokenKeysUri string = '${vault.properties.vaultUri}secrets/${tokenKeysSecretName}'
