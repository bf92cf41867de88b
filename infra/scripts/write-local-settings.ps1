# azd postprovision hook (Windows): writes the Functions project's local.settings.json from
# `azd env get-values`, like write-local-settings.sh. Keyless: the local host signs in as the developer.
# The production pseudonym key stays in Key Vault: it is written only when asked for
# (RECO_WRITE_LOCAL_PSEUDONYM_KEY=true), and once a provision has stored it in Key Vault it is removed from the
# azd environment, where the preprovision hook had to put it for the first provision.
# Usage: write-local-settings.ps1 [-Output path]
param(
    [string] $Output = (Join-Path $PSScriptRoot '..' '..' 'src' 'ServerlessReco.Functions' 'local.settings.json')
)
$ErrorActionPreference = 'Stop'

$values = @{}
foreach ($line in (azd env get-values)) {
    if ($line -match '^([^=]+)=(.*)$') {
        $values[$Matches[1]] = $Matches[2] -replace '^"(.*)"$', '$1'
    }
}

function Require([string] $name) {
    if (-not $values[$name]) {
        throw "write-local-settings: $name is not in the azd environment; run 'azd provision' first."
    }
    return $values[$name]
}

# No *__ClientId and no __credential locally: those name the app's managed identity, which exists only
# in Azure. Without them the host and the app use the developer's own sign-in.
$settings = [ordered]@{
    IsEncrypted = $false
    Values      = [ordered]@{
        FUNCTIONS_WORKER_RUNTIME              = 'dotnet-isolated'
        AzureWebJobsStorage__blobServiceUri   = Require 'AZURE_STORAGE_BLOB_SERVICE_URI'
        Cosmos__Endpoint                      = Require 'COSMOS_ENDPOINT'
        Cosmos__Database                      = Require 'COSMOS_DATABASE'
        ModelStorage__BlobServiceUri          = Require 'AZURE_STORAGE_BLOB_SERVICE_URI'
        ModelStorage__Container               = Require 'MODEL_STORAGE_CONTAINER'
        Reco__RetentionDays                   = Require 'RECO_RETENTION_DAYS'
        Reco__RetrainSchedule                 = Require 'RECO_RETRAIN_SCHEDULE'
    }
    # Optional (empty: no browser origin allowed): the provisioned CORS origins, comma-separated as Host.CORS wants.
    Host        = [ordered]@{
        CORS            = [string] $values['RECO_CORS_ORIGINS']
        CORSCredentials = $false
    }
}

# The pseudonym key, only when asked for (see write-local-settings.sh): from the azd environment while it still
# holds it, otherwise read from Key Vault with the developer's own sign-in.
if ($values['RECO_WRITE_LOCAL_PSEUDONYM_KEY'] -eq 'true') {
    $pseudonymKey = $values['RECO_PSEUDONYM_KEY']
    if (-not $pseudonymKey) {
        $vault = Require 'AZURE_KEY_VAULT_NAME'
        $pseudonymKey = az keyvault secret show --vault-name $vault --name pseudonym-key --query value --output tsv
        if ($LASTEXITCODE -ne 0 -or -not $pseudonymKey) {
            throw "write-local-settings: could not read secret pseudonym-key from Key Vault ${vault}: sign in with az login and get a role that reads it (Key Vault Secrets User)."
        }
    }
    $settings.Values['Reco__PseudonymKey'] = $pseudonymKey
}

$settings | ConvertTo-Json -Depth 3 | Set-Content -Path $Output -Encoding utf8
Write-Host "write-local-settings: wrote $Output"
if (-not $settings.Values.Contains('Reco__PseudonymKey')) {
    Write-Host 'write-local-settings: without Reco__PseudonymKey (it stays in Key Vault): func start against the provisioned Cosmos DB needs it; to write it here: azd env set RECO_WRITE_LOCAL_PSEUDONYM_KEY true, then run this script again.'
}

# Key Vault holds the key now (this runs after a provision): the azd environment's copy is not needed any more.
if ($values['RECO_PSEUDONYM_KEY']) {
    azd env set RECO_PSEUDONYM_KEY ''
    azd env set RECO_CREATE_PSEUDONYM_KEY false
    if ($LASTEXITCODE -ne 0) {
        throw 'write-local-settings: azd env set failed.'
    }
    Write-Host 'write-local-settings: removed RECO_PSEUDONYM_KEY from the azd environment; Key Vault keeps the key.'
}

# Likewise the first shopper-token key: Key Vault holds it now; the shop's server reads it from there, not from here.
if ($values['RECO_SHOPPER_TOKEN_KEYS']) {
    azd env set RECO_SHOPPER_TOKEN_KEYS ''
    azd env set RECO_CREATE_SHOPPER_TOKEN_KEYS false
    if ($LASTEXITCODE -ne 0) {
        throw 'write-local-settings: azd env set failed.'
    }
    Write-Host 'write-local-settings: removed RECO_SHOPPER_TOKEN_KEYS from the azd environment; Key Vault keeps the keys.'
}
