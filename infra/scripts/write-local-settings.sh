#!/bin/sh
# azd postprovision hook: writes the Functions project's local.settings.json from `azd env get-values`,
# so that `func start` uses the provisioned Cosmos DB and storage. Keyless like the deployment: the local
# host signs in as the developer (az login / azd auth login), who was given data roles at provision time.
# The one secret it writes is the pseudonym key, which azd already keeps in the environment's .env file.
# Usage: write-local-settings.sh [output-path]
set -eu

script_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
output=${1:-"$script_dir/../../src/ServerlessReco.Functions/local.settings.json"}

values=$(azd env get-values)

# Value of KEY from the KEY="value" lines azd prints, without the quotes; empty if absent.
value_of() {
  printf '%s\n' "$values" | sed -n "s/^$1=//p" | head -n 1 | sed 's/^"\(.*\)"$/\1/'
}

# The value as a JSON string literal.
json() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

require() {
  v=$(value_of "$1")
  if [ -z "$v" ]; then
    echo "write-local-settings: $1 is not in the azd environment; run 'azd provision' first." >&2
    exit 1
  fi
  printf '%s' "$v"
}

# The pseudonym key is no output (outputs are not secret): the preprovision hook keeps it in the environment.
# The app needs it to find events filed under pseudonyms; local.settings.json is git-ignored.
pseudonym_key=$(value_of RECO_PSEUDONYM_KEY)
if [ -z "$pseudonym_key" ]; then
  echo "write-local-settings: RECO_PSEUDONYM_KEY is not in the azd environment; run 'azd provision', whose preprovision hook sets it." >&2
  exit 1
fi

storage_account=$(require AZURE_STORAGE_ACCOUNT_NAME)
blob_service_uri=$(require AZURE_STORAGE_BLOB_SERVICE_URI)
models_container=$(require MODEL_STORAGE_CONTAINER)
cosmos_endpoint=$(require COSMOS_ENDPOINT)
cosmos_database=$(require COSMOS_DATABASE)
retention_days=$(require RECO_RETENTION_DAYS)
retrain_schedule=$(require RECO_RETRAIN_SCHEDULE)
# Optional (empty: no browser origin allowed): the provisioned CORS origins, comma-separated as Host.CORS wants.
cors_origins=$(value_of RECO_CORS_ORIGINS)

# No *__ClientId and no __credential locally: those name the app's managed identity, which exists only
# in Azure. Without them the host and the app use the developer's own sign-in.
cat > "$output" <<JSON
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "AzureWebJobsStorage__accountName": $(json "$storage_account"),
    "AzureWebJobsStorage__blobServiceUri": $(json "$blob_service_uri"),
    "Cosmos__Endpoint": $(json "$cosmos_endpoint"),
    "Cosmos__Database": $(json "$cosmos_database"),
    "ModelStorage__BlobServiceUri": $(json "$blob_service_uri"),
    "ModelStorage__Container": $(json "$models_container"),
    "Reco__RetentionDays": $(json "$retention_days"),
    "Reco__RetrainSchedule": $(json "$retrain_schedule"),
    "Reco__PseudonymKey": $(json "$pseudonym_key")
  },
  "Host": {
    "CORS": $(json "$cors_origins"),
    "CORSCredentials": false
  }
}
JSON

echo "write-local-settings: wrote $output"
