#!/usr/bin/env bash
# The project's test command: `bash tests/run.sh [--project tests/X] [extra dotnet test arguments]`.
# Installs the pinned emulators (tests/emulators), starts Azurite (Blob) and the Cosmos DB test server on
# free 127.0.0.1 ports, runs every test project of ServerlessReco.sln against them, stops both on any exit,
# prints one line "tests: N passed, N failed, N skipped" and exits with dotnet test's code.
# Needs the .NET SDK and Node.js, and Debian's chromium-headless-shell for the dashboard's browser tests (installed
# with apt-get when absent and run as root; otherwise it says what to install).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
emulators="$root/tests/emulators"
work="$(mktemp -d "${TMPDIR:-/tmp}/reco-tests.XXXXXX")"
pids=()

test_pid="" tail_pid=""
stop_services() {
    local pid
    for pid in $test_pid $tail_pid "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $test_pid $tail_pid "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap stop_services EXIT
trap 'exit 130' INT TERM # so that the EXIT trap stops the services on Ctrl+C or a CI timeout too

say() { printf 'run.sh: %s\n' "$*" >&2; }

# --- emulators: npm ci, skipped when node_modules already matches the committed lock file -------------------
stamp="$emulators/node_modules/.installed-package-lock.json"
if ! cmp -s "$emulators/package-lock.json" "$stamp"; then
    say "installing emulators (npm ci)"
    (cd "$emulators" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) || {
        cat "$work/npm.log" >&2
        exit 1
    }
    cp "$emulators/package-lock.json" "$stamp"
fi

# --- the dashboard's browser tests drive Debian's chromium-headless-shell (Playwright cannot download browsers here) ----
chromium="${RECO_TEST_CHROMIUM:-/usr/bin/chromium-headless-shell}"
if [[ ! -x "$chromium" ]]; then
    if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
        say "installing chromium-headless-shell (apt-get) for the dashboard's browser tests"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; } >"$work/apt.log" 2>&1 || {
            cat "$work/apt.log" >&2
            say "could not install chromium-headless-shell: the dashboard's browser tests will fail; install it, or set RECO_TEST_CHROMIUM to a Chromium"
        }
    else
        say "no $chromium: the dashboard's browser tests need Debian's chromium-headless-shell (sudo apt-get install chromium-headless-shell) or RECO_TEST_CHROMIUM=/path/to/chromium"
    fi
fi

free_port() {
    node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Succeeds once something answers HTTP on the URL (any status: Azurite answers an anonymous GET with 400).
answers() {
    node -e 'require("http").get(process.argv[1], r => { r.resume(); process.exit(0); }).on("error", () => process.exit(1));' "$1"
}

wait_until_answers() { # name pid url log
    local name="$1" pid="$2" url="$3" log="$4" tries=0
    until answers "$url"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "$name exited before it answered:"
            cat "$log" >&2
            exit 1
        fi
        tries=$((tries + 1))
        if ((tries > 300)); then
            say "$name did not answer on $url within 60 s:"
            cat "$log" >&2
            exit 1
        fi
        sleep 0.2
    done
}

# --- start the services ---------------------------------------------------------------------------------------
blob_port="$(free_port)"
node "$emulators/node_modules/azurite/dist/src/blob/main.js" \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --inMemoryPersistence \
    --skipApiVersionCheck --disableTelemetry --silent >"$work/azurite.log" 2>&1 &
pids+=("$!")
azurite_pid="$!"

cosmos_port="$(free_port)"
node "$emulators/cosmos-server.js" --host 127.0.0.1 --port "$cosmos_port" --no-ssl >"$work/cosmos.log" 2>&1 &
pids+=("$!")
cosmos_pid="$!"

wait_until_answers azurite "$azurite_pid" "http://127.0.0.1:$blob_port/devstoreaccount1?comp=list" "$work/azurite.log"
wait_until_answers cosmosdb-server "$cosmos_pid" "http://127.0.0.1:$cosmos_port/" "$work/cosmos.log"
say "azurite on 127.0.0.1:$blob_port, cosmosdb-server on 127.0.0.1:$cosmos_port"

# Azurite's well-known development account (public, documented); the Cosmos test server checks no key,
# but the SDK wants one that is valid base64.
export RECO_TEST_BLOB_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
export RECO_TEST_COSMOS_ENDPOINT="http://127.0.0.1:$cosmos_port/"
export RECO_TEST_COSMOS_KEY="cmVjby10ZXN0LXNlcnZlci1hY2NlcHRzLWFueS1rZXk="
export RECO_TEST_REQUIRE_EMULATORS=1
# The test server cannot answer the SDK's query-plan request on Linux: plan with the bundled native library.
export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true
# Optimistic direct execution makes COUNT/SUM/MAX work against the test server.
export AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- run the tests ----------------------------------------------------------------------------------------------
cd "$root"
# In the background, so that a signal interrupts `wait` and the EXIT trap runs at once (a foreground command
# would defer it to its own end); `tail --pid` streams the log while dotnet test runs.
status=0
# The whole solution, unless the caller names a --project (or --solution) of its own.
target=(--solution ServerlessReco.sln)
for argument in "$@"; do
  case "$argument" in --project|--project=*|--solution|--solution=*) target=() ;; esac
done
dotnet test "${target[@]}" "$@" >"$work/dotnet-test.log" 2>&1 &
test_pid="$!"
tail -n +1 -f --pid="$test_pid" "$work/dotnet-test.log" &
tail_pid="$!"
wait "$test_pid" || status=$?
wait "$tail_pid" || true
test_pid="" tail_pid=""

# The summary of Microsoft.Testing.Platform prints "succeeded: N", "failed: N", "skipped: N" per run.
sum() { awk -v key="$1" '$1 == key":" && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$work/dotnet-test.log"; }
echo "tests: $(sum succeeded) passed, $(sum failed) failed, $(sum skipped) skipped"
exit "$status"
