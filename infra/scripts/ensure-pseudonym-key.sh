#!/bin/sh
# azd preprovision hook: decides whether this provision writes the pseudonym key (RECO_CREATE_PSEUDONYM_KEY) and,
# only then, generates one (RECO_PSEUDONYM_KEY, base64 of 32 random bytes). The key is created once and never
# replaced: a new key would change every user's pseudonym, and stored events would no longer be found, or erased,
# by user id. (A newGuid() default in Bicep would do exactly that on every provision.)
#
# It asks Azure (az CLI, signed in) what this environment already has, found by the azd-env-name tag main.bicep
# puts on every resource:
# - the vault holds the secret: keep it; the template writes nothing and no key is needed on this machine;
# - no vault secret, but a Cosmos DB account of this environment exists: its events were filed under a key this
#   machine does not have, so refuse rather than silently start a new one;
# - nothing yet: generate a key for the first provision (write-local-settings.sh removes it from the azd
#   environment once the provision has stored it in Key Vault).
# If Azure cannot be asked (no az, not signed in, no subscription chosen yet), refuse too. Setting
# RECO_ALLOW_NEW_PSEUDONYM_KEY=true (azd env set) overrides both refusals, for an environment known to be new.
# ensure-pseudonym-key.ps1 does the same on Windows.
#
# Once the pseudonym key is settled, it does the same for the shopper-token signing keys (the shopper-token-keys
# secret): kept when the vault holds it, otherwise a first entry k1:base64 of 32 random bytes is generated into
# RECO_SHOPPER_TOKEN_KEYS with RECO_CREATE_SHOPPER_TOKEN_KEYS=true. Replacing those keys loses no data (it ends the
# live tokens), so no case is refused; write-local-settings.sh removes the copy once Key Vault holds it.
set -eu

secret_name=pseudonym-key

# A value of the azd environment: azd exports them to hooks; ask azd too, for a run outside a hook.
env_value() {
  eval "v=\${$1:-}"
  if [ -z "$v" ]; then
    v=$(azd env get-value "$1" 2>/dev/null || true)
  fi
  printf '%s' "$v"
}

fail() {
  echo "ensure-pseudonym-key: $*" >&2
  exit 1
}

env_name=$(env_value AZURE_ENV_NAME)
subscription=$(env_value AZURE_SUBSCRIPTION_ID)
allow_new=$(env_value RECO_ALLOW_NEW_PSEUDONYM_KEY)
existing_key=$(env_value RECO_PSEUDONYM_KEY)

# Keeps the shopper-token keys of the vault, or has this provision write a first one (see the header).
ensure_token_keys() {
  if [ "$token_keys_state" = exists ]; then
    azd env set RECO_CREATE_SHOPPER_TOKEN_KEYS false
    echo "ensure-pseudonym-key: the Key Vault holds the shopper-token keys; they are kept."
    return
  fi
  azd env set RECO_CREATE_SHOPPER_TOKEN_KEYS true
  if [ -z "$(env_value RECO_SHOPPER_TOKEN_KEYS)" ]; then
    azd env set RECO_SHOPPER_TOKEN_KEYS "k1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  fi
  echo "ensure-pseudonym-key: this provision writes the first shopper-token key (k1) to Key Vault, which then keeps it."
}

# What this environment has in Azure, one "type id" line per resource; "unknown" when Azure cannot be asked.
token_keys_state=absent
state=unknown
if [ -n "$env_name" ] && [ -n "$subscription" ] && command -v az >/dev/null 2>&1; then
  if resources=$(az resource list --subscription "$subscription" --tag "azd-env-name=$env_name" \
      --query "[].[type, id]" --output tsv 2>/dev/null); then
    state=absent
    vaults=$(printf '%s\n' "$resources" | awk -F '\t' 'tolower($1) == "microsoft.keyvault/vaults" { print $2 }')
    for vault in $vaults; do
      # The control plane answers whether the secret exists without reading its value.
      if az resource show --ids "$vault/secrets/$secret_name" --api-version 2023-07-01 --query id --output tsv >/dev/null 2>&1; then
        state=exists
      fi
      if az resource show --ids "$vault/secrets/shopper-token-keys" --api-version 2023-07-01 --query id --output tsv >/dev/null 2>&1; then
        token_keys_state=exists
      fi
    done
    if [ "$state" = absent ] && printf '%s\n' "$resources" | awk -F '\t' 'tolower($1) == "microsoft.documentdb/databaseaccounts" { found = 1 } END { exit !found }'; then
      state=data-without-key
    fi
  fi
fi

if [ "$state" = exists ]; then
  azd env set RECO_CREATE_PSEUDONYM_KEY false
  echo "ensure-pseudonym-key: the Key Vault of environment '$env_name' holds the pseudonym key; it is kept and this provision writes no key."
  if [ -n "$existing_key" ]; then
    echo "ensure-pseudonym-key: RECO_PSEUDONYM_KEY in the azd environment is not used (the vault's key is); remove it with: azd env set RECO_PSEUDONYM_KEY ''"
  fi
  ensure_token_keys
  exit 0
fi

if [ "$allow_new" != true ]; then
  case "$state" in
    data-without-key)
      fail "environment '$env_name' already has a Cosmos DB account but its Key Vault holds no '$secret_name' secret." \
        "A new key would orphan every stored event (no longer found, or erased, by user id)." \
        "Restore the key into the vault (recover the soft-deleted vault or secret, or az keyvault secret set with the old key)," \
        "or, if that data may be abandoned, run: azd env set RECO_ALLOW_NEW_PSEUDONYM_KEY true" ;;
    unknown)
      fail "cannot tell whether environment '${env_name:-?}' already has a pseudonym key: this needs the az CLI, signed in" \
        "(az login), and the environment's subscription (AZURE_SUBSCRIPTION_ID)." \
        "If this environment has never been provisioned, you may instead run: azd env set RECO_ALLOW_NEW_PSEUDONYM_KEY true" ;;
  esac
fi

azd env set RECO_CREATE_PSEUDONYM_KEY true
if [ -n "$existing_key" ]; then
  echo "ensure-pseudonym-key: no key in Key Vault yet; this provision writes RECO_PSEUDONYM_KEY of the azd environment."
  ensure_token_keys
  exit 0
fi

key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
azd env set RECO_PSEUDONYM_KEY "$key"
echo "ensure-pseudonym-key: generated a new pseudonym key; this provision writes it to Key Vault, which then keeps it."
ensure_token_keys
