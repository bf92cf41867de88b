#!/usr/bin/env bash
# Runs one command with the emulators up: `bash tests/emulators/run-with.sh COMMAND [ARGS...]`, e.g.
#   bash tests/emulators/run-with.sh dotnet run --project src/ServerlessReco.Cli -- chaos
# Starts Azurite (Blob) and the Cosmos DB test server on free 127.0.0.1 ports (in memory), sets the app settings that
# point the product at them (Cosmos__Endpoint, Cosmos__Key, ModelStorage__ConnectionString) and the test variables of
# tests/run.sh, runs the command, stops both on any exit and exits with the command's code.
set -euo pipefail

emulators="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/reco-emulators.XXXXXX")"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap stop EXIT
trap 'exit 130' INT TERM

stamp="$emulators/node_modules/.installed-package-lock.json"
if ! cmp -s "$emulators/package-lock.json" "$stamp"; then
    (cd "$emulators" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || { cat "$work/npm.log" >&2; exit 1; }
    cp "$emulators/package-lock.json" "$stamp"
fi

free_port() { node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }
wait_for() { # name url log
    local tries=0
    until node -e 'require("http").get(process.argv[1], r => { r.resume(); process.exit(0); }).on("error", () => process.exit(1));' "$2"; do
        tries=$((tries + 1))
        if ((tries > 300)); then echo "run-with.sh: $1 did not answer on $2:" >&2; cat "$3" >&2; exit 1; fi
        sleep 0.2
    done
}

blob_port="$(free_port)"
node "$emulators/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort "$blob_port" --inMemoryPersistence \
    --skipApiVersionCheck --disableTelemetry --silent >"$work/azurite.log" 2>&1 &
pids+=("$!")
cosmos_port="$(free_port)"
node "$emulators/cosmos-server.js" --host 127.0.0.1 --port "$cosmos_port" --no-ssl >"$work/cosmos.log" 2>&1 &
pids+=("$!")
wait_for azurite "http://127.0.0.1:$blob_port/devstoreaccount1?comp=list" "$work/azurite.log"
wait_for cosmosdb-server "http://127.0.0.1:$cosmos_port/" "$work/cosmos.log"

# Azurite's well-known development account (public, documented); the Cosmos test server checks no key, but the SDK
# wants valid base64. The two AZURE_COSMOS_ variables are the ones tests/run.sh explains.
export ModelStorage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
export Cosmos__Endpoint="http://127.0.0.1:$cosmos_port/"
export Cosmos__Key="cmVjby10ZXN0LXNlcnZlci1hY2NlcHRzLWFueS1rZXk="
export RECO_TEST_BLOB_CONNECTION_STRING="$ModelStorage__ConnectionString" RECO_TEST_COSMOS_ENDPOINT="$Cosmos__Endpoint" RECO_TEST_COSMOS_KEY="$Cosmos__Key"
export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED=true
echo "run-with.sh: azurite on 127.0.0.1:$blob_port, cosmosdb-server on 127.0.0.1:$cosmos_port" >&2

status=0
"$@" || status=$?
exit "$status"
