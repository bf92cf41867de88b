using ServerlessReco.Core.Access;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Cli.Tests;

/// <summary><c>reco token</c> mints tokens the server accepts, makes keys the settings accept, and refuses what cannot work.</summary>
public sealed class TokenCommandTests
{
    private const string Keys = "k1:c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=;k2:YW5vdGhlci1zaG9wcGVyLXRva2VuLWtleS0zMi1ieXRlcyE=";

    private static readonly Dictionary<string, string?> Environment = new() { ["ShopperTokens__SigningKeys"] = Keys };

    [Fact]
    public async Task AMintedTokenIsAcceptedForItsUserAndScopesUnderTheChosenKey()
    {
        var run = await Run.RecoAsync(Environment, "token", "--user", "user-0001", "--scope", "events:write", "--key-id", "k2", "--lifetime", "00:10:00");

        Assert.Equal(0, run.ExitCode);
        var token = run.Output.Trim();
        var onlyK2 = new ShopperTokens(ShopperTokenKeys.Parse(Keys.Split(';')[1]));
        var caller = (await onlyK2.ValidateAsync(token)).Caller!;
        Assert.Equal("user-0001", caller.ShopperId);
        Assert.Equal([ShopperScopes.EventsWrite], caller.Scopes);
    }

    [Fact]
    public async Task ANewKeyIsAnEntryTheSettingAccepts()
    {
        var run = await Run.RecoAsync([], "token", "--new-key", "k3");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("k3:", run.Output, StringComparison.Ordinal);
        Assert.Null(new ShopperTokenOptions { SigningKeys = run.Output.Trim() }.Problem());
    }

    [Theory]
    [InlineData("--user", "u", "--lifetime", "2.00:00:00")]
    [InlineData("--user", "u", "--scope", "admin")]
    [InlineData("--user", "u", "--key-id", "k9")]
    [InlineData("--scope", "events:write")]
    [InlineData("--new-key", "bad key id")]
    public async Task WhatCannotMakeAValidTokenIsAUsageError(params string[] args)
    {
        var run = await Run.RecoAsync(Environment, ["token", .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task WithoutSigningKeysItSaysWhichSettingToSet()
    {
        var run = await Run.RecoAsync([], "token", "--user", "u");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ShopperTokens__SigningKeys", run.Errors, StringComparison.Ordinal);
    }
}
