# azd preprovision hook (Windows): decides whether this provision writes the pseudonym key
# (RECO_CREATE_PSEUDONYM_KEY) and, only then, generates one (RECO_PSEUDONYM_KEY, base64 of 32 random bytes),
# step for step like ensure-pseudonym-key.sh, whose comments say why. The key is created once and never replaced:
# a new key would change every user's pseudonym, and stored events would no longer be found, or erased, by user id.
# - the vault of this environment (azd-env-name tag) holds the secret: keep it, write nothing;
# - no secret but a Cosmos DB account of this environment exists: refuse;
# - Azure cannot be asked (no az, not signed in, no subscription): refuse;
# - nothing yet: generate a key for the first provision.
# RECO_ALLOW_NEW_PSEUDONYM_KEY=true overrides both refusals.
$ErrorActionPreference = 'Stop'

$secretName = 'pseudonym-key'

# A value of the azd environment: azd exports them to hooks; ask azd too, for a run outside a hook.
function Get-EnvValue([string] $name) {
    $value = [Environment]::GetEnvironmentVariable($name)
    if (-not $value) {
        $value = azd env get-value $name 2>$null
        if ($LASTEXITCODE -ne 0) {
            $value = ''
        }
    }
    return "$value"
}

function Set-EnvValue([string] $name, [string] $value) {
    azd env set $name $value
    if ($LASTEXITCODE -ne 0) {
        throw "ensure-pseudonym-key: azd env set $name failed."
    }
}

$envName = Get-EnvValue 'AZURE_ENV_NAME'
$subscription = Get-EnvValue 'AZURE_SUBSCRIPTION_ID'
$allowNew = Get-EnvValue 'RECO_ALLOW_NEW_PSEUDONYM_KEY'
$existingKey = Get-EnvValue 'RECO_PSEUDONYM_KEY'

# Keeps the shopper-token keys of the vault, or has this provision write a first one (as ensure-pseudonym-key.sh).
function Confirm-TokenKeys {
    if ($script:tokenKeysState -eq 'exists') {
        Set-EnvValue 'RECO_CREATE_SHOPPER_TOKEN_KEYS' 'false'
        Write-Host 'ensure-pseudonym-key: the Key Vault holds the shopper-token keys; they are kept.'
        return
    }
    Set-EnvValue 'RECO_CREATE_SHOPPER_TOKEN_KEYS' 'true'
    if (-not (Get-EnvValue 'RECO_SHOPPER_TOKEN_KEYS')) {
        $tokenKey = [byte[]]::new(32)
        [System.Security.Cryptography.RandomNumberGenerator]::Fill($tokenKey)
        Set-EnvValue 'RECO_SHOPPER_TOKEN_KEYS' ("k1:" + [Convert]::ToBase64String($tokenKey))
    }
    Write-Host 'ensure-pseudonym-key: this provision writes the first shopper-token key (k1) to Key Vault, which then keeps it.'
}

# What this environment has in Azure; 'unknown' when Azure cannot be asked.
$tokenKeysState = 'absent'
$state = 'unknown'
if ($envName -and $subscription -and (Get-Command az -ErrorAction SilentlyContinue)) {
    $resources = az resource list --subscription $subscription --tag "azd-env-name=$envName" --query '[].[type, id]' --output tsv 2>$null
    if ($LASTEXITCODE -eq 0) {
        $state = 'absent'
        $rows = @($resources | Where-Object { $_ } | ForEach-Object { , ($_ -split "`t") })
        foreach ($row in $rows | Where-Object { $_[0] -eq 'Microsoft.KeyVault/vaults' }) {
            # The control plane answers whether the secret exists without reading its value.
            az resource show --ids "$($row[1])/secrets/$secretName" --api-version 2023-07-01 --query id --output tsv *> $null
            if ($LASTEXITCODE -eq 0) {
                $state = 'exists'
            }
            az resource show --ids "$($row[1])/secrets/shopper-token-keys" --api-version 2023-07-01 --query id --output tsv *> $null
            if ($LASTEXITCODE -eq 0) {
                $tokenKeysState = 'exists'
            }
        }
        if ($state -eq 'absent' -and ($rows | Where-Object { $_[0] -eq 'Microsoft.DocumentDB/databaseAccounts' })) {
            $state = 'data-without-key'
        }
    }
}

if ($state -eq 'exists') {
    Set-EnvValue 'RECO_CREATE_PSEUDONYM_KEY' 'false'
    Write-Host "ensure-pseudonym-key: the Key Vault of environment '$envName' holds the pseudonym key; it is kept and this provision writes no key."
    if ($existingKey) {
        Write-Host "ensure-pseudonym-key: RECO_PSEUDONYM_KEY in the azd environment is not used (the vault's key is); remove it with: azd env set RECO_PSEUDONYM_KEY ''"
    }
    Confirm-TokenKeys
    exit 0
}

if ($allowNew -ne 'true') {
    if ($state -eq 'data-without-key') {
        throw ("ensure-pseudonym-key: environment '$envName' already has a Cosmos DB account but its Key Vault holds no '$secretName' secret. " +
            'A new key would orphan every stored event (no longer found, or erased, by user id). ' +
            'Restore the key into the vault (recover the soft-deleted vault or secret, or az keyvault secret set with the old key), ' +
            'or, if that data may be abandoned, run: azd env set RECO_ALLOW_NEW_PSEUDONYM_KEY true')
    }
    if ($state -eq 'unknown') {
        throw ("ensure-pseudonym-key: cannot tell whether environment '$envName' already has a pseudonym key: this needs the az CLI, signed in " +
            "(az login), and the environment's subscription (AZURE_SUBSCRIPTION_ID). " +
            'If this environment has never been provisioned, you may instead run: azd env set RECO_ALLOW_NEW_PSEUDONYM_KEY true')
    }
}

Set-EnvValue 'RECO_CREATE_PSEUDONYM_KEY' 'true'
if ($existingKey) {
    Write-Host 'ensure-pseudonym-key: no key in Key Vault yet; this provision writes RECO_PSEUDONYM_KEY of the azd environment.'
    Confirm-TokenKeys
    exit 0
}

$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
Set-EnvValue 'RECO_PSEUDONYM_KEY' ([Convert]::ToBase64String($bytes))
Write-Host 'ensure-pseudonym-key: generated a new pseudonym key; this provision writes it to Key Vault, which then keeps it.'
Confirm-TokenKeys
