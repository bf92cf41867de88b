namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The preprovision hook (ensure-pseudonym-key.sh) with a fake azd and az on PATH: a key is generated only for an
/// environment that has nothing in Azure yet, the vault's key is never replaced, and an environment whose data exists
/// without a key, or that Azure cannot be asked about, is refused unless RECO_ALLOW_NEW_PSEUDONYM_KEY says otherwise.
/// The Windows twin (ensure-pseudonym-key.ps1) follows the same steps; no pwsh runs here to test it.
/// </summary>
public sealed class PseudonymKeyHookTests : IDisposable
{
    private const string Script = "ensure-pseudonym-key.sh";
    private const string Vault = "/subscriptions/sub-1/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kvrecoabc";
    private const string Cosmos = "/subscriptions/sub-1/resourceGroups/rg-dev/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-reco-abc";
    private const string EarlierKey = "a2VwdC1rZXkta2VwdC1rZXkta2VwdC1rZXkta2VwdC0=";

    private readonly FakeAzureClis _clis = new();

    public PseudonymKeyHookTests()
    {
        _clis.Values["AZURE_ENV_NAME"] = "dev";
        _clis.Values["AZURE_SUBSCRIPTION_ID"] = "sub-1";
    }

    public void Dispose() => _clis.Dispose();

    [Fact]
    public async Task ANewEnvironmentGetsA32ByteKeyThatThisProvisionWrites()
    {
        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(32, Convert.FromBase64String(_clis.LastSet("RECO_PSEUDONYM_KEY")!).Length);
        Assert.Equal("true", _clis.LastSet("RECO_CREATE_PSEUDONYM_KEY"));
        // It asked about this environment's resources in this environment's subscription.
        Assert.Contains(_clis.AzCalls, c => c.StartsWith("resource list", StringComparison.Ordinal)
            && c.Contains("--subscription sub-1", StringComparison.Ordinal) && c.Contains("--tag azd-env-name=dev", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheVaultsKeyIsKeptAndNothingIsWrittenEvenWithAnotherKeyInTheAzdEnvironment()
    {
        _clis.Resources.AddRange([("Microsoft.KeyVault/vaults", Vault), ("Microsoft.DocumentDB/databaseAccounts", Cosmos)]);
        _clis.SecretExists = true;
        _clis.Values["RECO_PSEUDONYM_KEY"] = EarlierKey;

        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("false", _clis.LastSet("RECO_CREATE_PSEUDONYM_KEY"));
        Assert.Null(_clis.LastSet("RECO_PSEUDONYM_KEY"));
        Assert.Contains("kept", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(_clis.AzCalls, c => c.StartsWith($"resource show --ids {Vault}/secrets/pseudonym-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFreshAzdEnvironmentPointedAtAnExistingVaultNeedsNoKeyOnThisMachine()
    {
        _clis.Resources.Add(("Microsoft.KeyVault/vaults", Vault));
        _clis.SecretExists = true;

        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        // The shopper-token keys are in the same vault (the fake answers every secret as there): kept too.
        Assert.Equal(["env set RECO_CREATE_PSEUDONYM_KEY false", "env set RECO_CREATE_SHOPPER_TOKEN_KEYS false"], _clis.SetCalls);
    }

    [Fact]
    public async Task DataWithoutAKeyInTheVaultIsRefusedWithAClearMessage()
    {
        _clis.Resources.AddRange([("Microsoft.KeyVault/vaults", Vault), ("Microsoft.DocumentDB/databaseAccounts", Cosmos)]);

        var result = await _clis.RunAsync(Script);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(_clis.SetCalls);
        Assert.Contains("already has a Cosmos DB account", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("RECO_ALLOW_NEW_PSEUDONYM_KEY", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not signed in")]
    [InlineData("no az")]
    [InlineData("no subscription")]
    public async Task WhenAzureCannotBeAskedNoKeyIsGenerated(string why)
    {
        _clis.AzSignedIn = why != "not signed in";
        _clis.AzInstalled = why != "no az";
        if (why == "no subscription")
        {
            _clis.Values.Remove("AZURE_SUBSCRIPTION_ID");
        }

        var result = await _clis.RunAsync(Script);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(_clis.SetCalls);
        Assert.Contains("az login", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("RECO_ALLOW_NEW_PSEUDONYM_KEY", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnExplicitOverrideGeneratesAKeyWhereTheHookWouldRefuse(bool dataExists)
    {
        if (dataExists)
        {
            _clis.Resources.Add(("Microsoft.DocumentDB/databaseAccounts", Cosmos));
        }
        else
        {
            _clis.AzSignedIn = false;
        }

        _clis.Values["RECO_ALLOW_NEW_PSEUDONYM_KEY"] = "true";

        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(32, Convert.FromBase64String(_clis.LastSet("RECO_PSEUDONYM_KEY")!).Length);
        Assert.Equal("true", _clis.LastSet("RECO_CREATE_PSEUDONYM_KEY"));
    }

    [Fact]
    public async Task AKeyAlreadyInTheAzdEnvironmentIsWrittenWhenTheVaultHasNoneYet()
    {
        // A first provision that failed before the vault was made: the key generated then is used, not replaced.
        _clis.Values["RECO_PSEUDONYM_KEY"] = EarlierKey;

        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(["env set RECO_CREATE_PSEUDONYM_KEY true", "env set RECO_CREATE_SHOPPER_TOKEN_KEYS true"], _clis.SetCalls.Take(2));
        Assert.StartsWith("env set RECO_SHOPPER_TOKEN_KEYS k1:", _clis.SetCalls[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewEnvironmentAlsoGetsAFirstShopperTokenKeyEntry()
    {
        var result = await _clis.RunAsync(Script);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("true", _clis.LastSet("RECO_CREATE_SHOPPER_TOKEN_KEYS"));
        var entry = _clis.LastSet("RECO_SHOPPER_TOKEN_KEYS")!;
        Assert.StartsWith("k1:", entry, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(entry["k1:".Length..]).Length);
    }
}
