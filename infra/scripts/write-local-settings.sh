#!/bin/sh
# azd postprovision hook: writes the Functions project's local.settings.json from `azd env get-values`,
# so that `func start` uses the provisioned Cosmos DB and storage. Keyless like the deployment: the local
# host signs in as the developer (az login / azd auth login), who was given data roles at provision time.
# The production pseudonym key stays in Key Vault: it is written to local.settings.json only when asked for
# (azd env set RECO_WRITE_LOCAL_PSEUDONYM_KEY true), and once a provision has stored it in Key Vault it is removed
# from the azd environment (.azure/<env>/.env), where the preprovision hook had to put it for the first provision.
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

blob_service_uri=$(require AZURE_STORAGE_BLOB_SERVICE_URI)
models_container=$(require MODEL_STORAGE_CONTAINER)
cosmos_endpoint=$(require COSMOS_ENDPOINT)
cosmos_database=$(require COSMOS_DATABASE)
retention_days=$(require RECO_RETENTION_DAYS)
retrain_schedule=$(require RECO_RETRAIN_SCHEDULE)
# Optional (empty: no browser origin allowed): the provisioned CORS origins, comma-separated as Host.CORS wants.
cors_origins=$(value_of RECO_CORS_ORIGINS)

# The pseudonym key, only when asked for: a local app against the provisioned Cosmos DB needs it to find events
# filed under pseudonyms (and refuses to start without it), but a copy on a developer machine is a copy of the
# production secret. From the azd environment while it still holds it, otherwise read from Key Vault, which
# needs a role that lets the developer read the secret (the template grants none).
pseudonym_key_setting=""
if [ "$(value_of RECO_WRITE_LOCAL_PSEUDONYM_KEY)" = true ]; then
  pseudonym_key=$(value_of RECO_PSEUDONYM_KEY)
  if [ -z "$pseudonym_key" ]; then
    vault=$(require AZURE_KEY_VAULT_NAME)
    if ! pseudonym_key=$(az keyvault secret show --vault-name "$vault" --name pseudonym-key --query value --output tsv) || [ -z "$pseudonym_key" ]; then
      echo "write-local-settings: could not read secret pseudonym-key from Key Vault $vault: sign in with az login and get a role that reads it (Key Vault Secrets User)." >&2
      exit 1
    fi
  fi
  pseudonym_key_setting=",
    \"Reco__PseudonymKey\": $(json "$pseudonym_key")"
fi

# No *__ClientId and no __credential locally: those name the app's managed identity, which exists only
# in Azure. Without them the host and the app use the developer's own sign-in.
cat > "$output" <<JSON
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "AzureWebJobsStorage__blobServiceUri": $(json "$blob_service_uri"),
    "Cosmos__Endpoint": $(json "$cosmos_endpoint"),
    "Cosmos__Database": $(json "$cosmos_database"),
    "ModelStorage__BlobServiceUri": $(json "$blob_service_uri"),
    "ModelStorage__Container": $(json "$models_container"),
    "Reco__RetentionDays": $(json "$retention_days"),
    "Reco__RetrainSchedule": $(json "$retrain_schedule")$pseudonym_key_setting
  },
  "Host": {
    "CORS": $(json "$cors_origins"),
    "CORSCredentials": false
  }
}
JSON

echo "write-local-settings: wrote $output"
if [ -z "$pseudonym_key_setting" ]; then
  echo "write-local-settings: without Reco__PseudonymKey (it stays in Key Vault): func start against the provisioned Cosmos DB needs it; to write it here: azd env set RECO_WRITE_LOCAL_PSEUDONYM_KEY true, then run this script again."
fi

# Key Vault holds the key now (this runs after a provision): the azd environment's copy is not needed any more.
if [ -n "$(value_of RECO_PSEUDONYM_KEY)" ]; then
  azd env set RECO_PSEUDONYM_KEY ""
  azd env set RECO_CREATE_PSEUDONYM_KEY false
  echo "write-local-settings: removed RECO_PSEUDONYM_KEY from the azd environment; Key Vault keeps the key."
fi

# Likewise the first shopper-token key: Key Vault holds it now; the shop's server reads it from there, not from here.
if [ -n "$(value_of RECO_SHOPPER_TOKEN_KEYS)" ]; then
  azd env set RECO_SHOPPER_TOKEN_KEYS ""
  azd env set RECO_CREATE_SHOPPER_TOKEN_KEYS false
  echo "write-local-settings: removed RECO_SHOPPER_TOKEN_KEYS from the azd environment; Key Vault keeps the keys."
fi
