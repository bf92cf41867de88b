# azd postprovision hook (Windows): writes the Functions project's local.settings.json from
# `azd env get-values`, like write-local-settings.sh. Keyless: the local host signs in as the developer.
# The one secret it writes is the pseudonym key, which azd already keeps in the environment's .env file.
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

# The pseudonym key is no output (outputs are not secret): the preprovision hook keeps it in the environment.
# The app needs it to find events filed under pseudonyms; local.settings.json is git-ignored.
if (-not $values['RECO_PSEUDONYM_KEY']) {
    throw "write-local-settings: RECO_PSEUDONYM_KEY is not in the azd environment; run 'azd provision', whose preprovision hook sets it."
}

# No *__ClientId and no __credential locally: those name the app's managed identity, which exists only
# in Azure. Without them the host and the app use the developer's own sign-in.
$settings = [ordered]@{
    IsEncrypted = $false
    Values      = [ordered]@{
        FUNCTIONS_WORKER_RUNTIME              = 'dotnet-isolated'
        AzureWebJobsStorage__accountName      = Require 'AZURE_STORAGE_ACCOUNT_NAME'
        AzureWebJobsStorage__blobServiceUri   = Require 'AZURE_STORAGE_BLOB_SERVICE_URI'
        Cosmos__Endpoint                      = Require 'COSMOS_ENDPOINT'
        Cosmos__Database                      = Require 'COSMOS_DATABASE'
        ModelStorage__BlobServiceUri          = Require 'AZURE_STORAGE_BLOB_SERVICE_URI'
        ModelStorage__Container               = Require 'MODEL_STORAGE_CONTAINER'
        Reco__RetentionDays                   = Require 'RECO_RETENTION_DAYS'
        Reco__RetrainSchedule                 = Require 'RECO_RETRAIN_SCHEDULE'
        Reco__PseudonymKey                    = $values['RECO_PSEUDONYM_KEY']
    }
    # Optional (empty: no browser origin allowed): the provisioned CORS origins, comma-separated as Host.CORS wants.
    Host        = [ordered]@{
        CORS            = [string] $values['RECO_CORS_ORIGINS']
        CORSCredentials = $false
    }
}

$settings | ConvertTo-Json -Depth 3 | Set-Content -Path $Output -Encoding utf8
Write-Host "write-local-settings: wrote $Output"
