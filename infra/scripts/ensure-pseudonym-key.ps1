# azd preprovision hook (Windows): gives the azd environment a pseudonym key (RECO_PSEUDONYM_KEY, base64 of
# 32 random bytes) the first time only, like ensure-pseudonym-key.sh. It is never replaced: a new key would
# change every user's pseudonym, and stored events would no longer be found, or erased, by user id.
$ErrorActionPreference = 'Stop'

# azd exports the environment's values to hooks; ask azd too, for a run outside a hook.
$existing = $env:RECO_PSEUDONYM_KEY
if (-not $existing) {
    $existing = azd env get-value RECO_PSEUDONYM_KEY 2>$null
    if ($LASTEXITCODE -ne 0) {
        $existing = ''
    }
}

if ($existing) {
    Write-Host 'ensure-pseudonym-key: RECO_PSEUDONYM_KEY is already set; kept.'
    exit 0
}

$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
azd env set RECO_PSEUDONYM_KEY ([Convert]::ToBase64String($bytes))
if ($LASTEXITCODE -ne 0) {
    throw 'ensure-pseudonym-key: azd env set failed.'
}
Write-Host 'ensure-pseudonym-key: generated RECO_PSEUDONYM_KEY; back it up with the environment (.azure/<env>/.env).'
