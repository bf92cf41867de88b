using ServerlessReco.Core.Access;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>
/// The checks of a shopper token, on tokens minted by the library (<see cref="ShopperTokens.Mint"/>) and by hand
/// (<see cref="HandMadeTokens"/>): what is valid names its shopper and scopes, everything else is refused with a detail
/// that says what is wrong.
/// </summary>
public sealed class ShopperTokenTests
{
    private static readonly ShopperTokens Server = new(ShopperTokenKeys.Parse(HandMadeTokens.SigningKeys));

    private static async Task<string> RefusalAsync(ShopperTokens tokens, string token)
    {
        var check = await tokens.ValidateAsync(token);
        Assert.Null(check.Caller);
        return check.Detail!;
    }

    [Fact]
    public async Task AValidTokenStandsForItsShopperWithItsScopes()
    {
        var token = Server.Mint("user-0001", ShopperScopes.All, TimeSpan.FromHours(1));

        var caller = (await Server.ValidateAsync(token)).Caller!;

        Assert.Equal(CallerKind.Shopper, caller.Kind);
        Assert.Equal("user-0001", caller.ShopperId);
        Assert.Equal(ShopperScopes.All.Order(StringComparer.Ordinal), caller.Scopes.Order(StringComparer.Ordinal));
        Assert.True(caller.MayActAs("user-0001"));
        Assert.False(caller.MayActAs("user-0002"));
    }

    [Fact]
    public async Task ATokenMintedByTheDocumentedStepsAloneIsAccepted()
    {
        var token = HandMadeTokens.Mint("user/with spaces", "events:write", TimeSpan.FromMinutes(30));

        var caller = (await Server.ValidateAsync(token)).Caller!;

        Assert.Equal("user/with spaces", caller.ShopperId);
        Assert.True(caller.Allows(ShopperScopes.EventsWrite));
        Assert.False(caller.Allows(ShopperScopes.RecommendationsRead));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedSayingWhenItExpired()
    {
        var token = Server.Mint("user-0001", ShopperScopes.All, TimeSpan.FromHours(1), issuedAt: DateTimeOffset.UtcNow.AddHours(-3));

        Assert.Contains("expired at", await RefusalAsync(Server, token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenThatLivesMoreThanADayIsRefusedAndCannotBeMinted()
    {
        var token = HandMadeTokens.Mint("user-0001", "recommendations:read", TimeSpan.FromDays(2));

        Assert.Contains("more than a day", await RefusalAsync(Server, token), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Server.Mint("user-0001", ShopperScopes.All, TimeSpan.FromHours(25)));
    }

    [Fact]
    public async Task ATokenUnderAKeyIdTheServerDoesNotHoldIsRefusedNamingTheKeyId()
    {
        var token = HandMadeTokens.Mint("user-0001", "recommendations:read", TimeSpan.FromHours(1), keyId: "retired", key: HandMadeTokens.Key);

        Assert.Contains("key id 'retired' is not one of this server's signing keys", await RefusalAsync(Server, token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyUnderAKnownKeyIdIsRefusedForItsSignature()
    {
        var token = HandMadeTokens.Mint("user-0001", "recommendations:read", TimeSpan.FromHours(1), keyId: HandMadeTokens.KeyId, key: HandMadeTokens.OtherKey);

        Assert.Contains("signature does not match", await RefusalAsync(Server, token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAlteredPayloadIsRefusedForItsSignature()
    {
        var parts = HandMadeTokens.Mint("user-0001", "recommendations:read", TimeSpan.FromHours(1)).Split('.');
        var forged = parts[0] + "." + HandMadeTokens.Base64Url("""{"sub":"user-0002","scope":"recommendations:read","exp":4102444800}"""u8.ToArray()) + "." + parts[2];

        Assert.Contains("signature does not match", await RefusalAsync(Server, forged), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HS512")]
    [InlineData("none")]
    public async Task ATokenWithAnotherAlgorithmIsRefused(string alg)
    {
        var token = HandMadeTokens.Mint("user-0001", "recommendations:read", TimeSpan.FromHours(1), alg: alg);

        Assert.NotNull(await RefusalAsync(Server, token));
    }

    [Fact]
    public async Task UnknownScopesAreDroppedSoATokenWithoutAKnownScopeAllowsNothing()
    {
        var token = HandMadeTokens.Mint("user-0001", "admin everything", TimeSpan.FromHours(1));

        var caller = (await Server.ValidateAsync(token)).Caller!;

        Assert.Empty(caller.Scopes);
        Assert.All(ShopperScopes.All, scope => Assert.False(caller.Allows(scope)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0")]
    [InlineData("%%%.%%%.%%%")]
    public async Task AMalformedTokenIsRefusedAsNotAJwt(string token)
    {
        Assert.Contains("JWT", await RefusalAsync(Server, token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutASubjectOrExpiryIsRefused()
    {
        var noSubject = HandMadeTokens.Sign("""{"alg":"HS256","kid":"k1"}""", """{"scope":"events:write","exp":4102444800}""", HandMadeTokens.Key);
        var noExpiry = HandMadeTokens.Sign("""{"alg":"HS256","kid":"k1"}""", """{"sub":"user-0001","scope":"events:write"}""", HandMadeTokens.Key);

        Assert.NotNull(await RefusalAsync(Server, noSubject));
        Assert.Contains("'exp'", await RefusalAsync(Server, noExpiry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuringARotationTokensOfBothKeysAreAcceptedAndAfterItOnlyTheNewOnes()
    {
        var old = HandMadeTokens.Mint("user-0001", "events:write", TimeSpan.FromHours(1));
        var both = new ShopperTokens(ShopperTokenKeys.Parse($"{HandMadeTokens.SigningKeys};{HandMadeTokens.OtherKeyId}:{HandMadeTokens.OtherKey}"));
        var fresh = both.Mint("user-0001", ["events:write"], TimeSpan.FromHours(1), keyId: HandMadeTokens.OtherKeyId);
        var after = new ShopperTokens(ShopperTokenKeys.Parse($"{HandMadeTokens.OtherKeyId}:{HandMadeTokens.OtherKey}"));

        Assert.NotNull((await both.ValidateAsync(old)).Caller);
        Assert.NotNull((await both.ValidateAsync(fresh)).Caller);
        Assert.NotNull((await after.ValidateAsync(fresh)).Caller);
        Assert.Contains("key id 'k1'", await RefusalAsync(after, old), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithoutKeysRefusesEveryTokenSayingSo()
    {
        Assert.Contains("holds no shopper-token signing key", await RefusalAsync(new ShopperTokens(null), HandMadeTokens.Mint("u", "events:write", TimeSpan.FromHours(1))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k1", "must read kid:base64")]
    [InlineData(":c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=", "must read kid:base64")]
    [InlineData("k1:c2hvcnQ=", "at least 32")]
    [InlineData("k1:@Microsoft.KeyVault(SecretUri=https://v/secrets/s)", "Key Vault reference")]
    [InlineData("k1:c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=;k1:c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=", "twice")]
    public void BadSigningKeySettingsAreNamedAndNeverEchoTheKey(string setting, string expected)
    {
        var problem = new ShopperTokenOptions { SigningKeys = setting }.Problem();

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcHBlci10b2tlbi10ZXN0", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredTokensWithoutKeysStopTheStart()
    {
        Assert.Contains("SigningKeys is empty", new ShopperTokenOptions { Required = true }.Problem(), StringComparison.Ordinal);
        Assert.Null(new ShopperTokenOptions { Required = true, SigningKeys = HandMadeTokens.SigningKeys }.Problem());
        Assert.Null(new ShopperTokenOptions().Problem());
    }
}
