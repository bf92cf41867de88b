#!/bin/sh
# azd preprovision hook: gives the azd environment a pseudonym key (RECO_PSEUDONYM_KEY, base64 of 32 random
# bytes) the first time only. main.parameters.json passes it to the Key Vault secret the app reads. It is
# never replaced: a new key would change every user's pseudonym, and stored events would no longer be found,
# or erased, by user id. (A newGuid() default in Bicep would do exactly that on every provision.)
set -eu

# azd exports the environment's values to hooks; ask azd too, for a run outside a hook.
existing=${RECO_PSEUDONYM_KEY:-}
if [ -z "$existing" ]; then
  existing=$(azd env get-value RECO_PSEUDONYM_KEY 2>/dev/null || true)
fi

if [ -n "$existing" ]; then
  echo "ensure-pseudonym-key: RECO_PSEUDONYM_KEY is already set; kept."
  exit 0
fi

key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
azd env set RECO_PSEUDONYM_KEY "$key"
echo "ensure-pseudonym-key: generated RECO_PSEUDONYM_KEY; back it up with the environment (.azure/<env>/.env)."
