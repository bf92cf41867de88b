using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The local host as Azure runs the app: shopper tokens required on the client routes, anonymous reads on.</summary>
public sealed class TokenLocalHostFixture() : LocalHostFixture(
[
    "--ShopperTokens:Required=true",
    $"--ShopperTokens:SigningKeys={HandMadeTokens.SigningKeys}",
    "--Reco:AllowAnonymousReads=true",
]);

/// <summary>
/// Shopper tokens through the real local host and its embedded store: a token acts as its shopper only (another user's
/// event refuses the whole batch, another user's list is refused), every bad token is a 401/403 problem naming what is
/// wrong, never a 500, and the keyless public routes keep answering without one.
/// </summary>
public sealed class ShopperTokensOverHttpTests(TokenLocalHostFixture host) : IClassFixture<TokenLocalHostFixture>
{
    private const string Shopper = "token-shopper";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Token(string user = Shopper, string scope = "events:write recommendations:read") =>
        HandMadeTokens.Mint(user, scope, TimeSpan.FromHours(1));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await host.Client.SendAsync(request, Cancel);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }

    private static string Event(string user, string eventId) => $$"""{"eventId":"{{eventId}}","userId":"{{user}}","itemId":"sku-1","type":"view"}""";

    [Fact]
    public async Task AHandMadeTokenRecordsItsShoppersEventsAndReadsItsOwnList()
    {
        using var posted = await SendAsync(HttpMethod.Post, "/api/events", Token(), $"[{Event(Shopper, "own-1")},{Event(Shopper, "own-2")}]");
        using var list = await SendAsync(HttpMethod.Get, $"/api/users/{Shopper}/recommendations?count=3", Token());
        using var trending = await SendAsync(HttpMethod.Get, "/api/trending?count=3", Token());

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(2, (await posted.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("stored").GetInt32());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(Shopper, (await list.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.OK, trending.StatusCode);
    }

    [Fact]
    public async Task ABatchWithOneEventOfAnotherUserIsA403AndStoresNothingOfTheBatch()
    {
        var events = host.App.Services.GetRequiredService<IEventStore>();
        var before = await events.CountAsync(Cancel);

        using var posted = await SendAsync(HttpMethod.Post, "/api/events", Token(), $"[{Event(Shopper, "mixed-1")},{Event("someone-else", "mixed-2")}]");

        Assert.Contains("nothing of the batch was stored", await ProblemDetailAsync(posted, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(before, await events.CountAsync(Cancel));
    }

    [Fact]
    public async Task AnotherShoppersListIsA403()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/users/someone-else/recommendations", Token());

        Assert.Contains("another user", await ProblemDetailAsync(response, HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATokenTheClientRoutesAre401WithAChallenge()
    {
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "/api/events", Event(Shopper, "none-1")),
            (HttpMethod.Get, $"/api/users/{Shopper}/recommendations", null),
            (HttpMethod.Get, "/api/items/sku-1/similar", null),
            (HttpMethod.Get, "/api/trending", null),
        })
        {
            using var response = await SendAsync(method, path, null, body);

            Assert.Contains("needs a shopper token", await ProblemDetailAsync(response, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("expired", "expired at")]
    [InlineData("malformed", "not a JWT")]
    [InlineData("wrong-key", "signature does not match")]
    [InlineData("unknown-kid", "not one of this server's signing keys")]
    [InlineData("too-long", "more than a day")]
    public async Task ABadTokenIsA401NamingWhatIsWrongNeverA500(string kind, string expected)
    {
        var token = kind switch
        {
            "expired" => HandMadeTokens.Mint(Shopper, "events:write recommendations:read", TimeSpan.FromHours(-1)),
            "malformed" => "this.is-not.a-token",
            "wrong-key" => HandMadeTokens.Mint(Shopper, "recommendations:read", TimeSpan.FromHours(1), key: HandMadeTokens.OtherKey),
            "unknown-kid" => HandMadeTokens.Mint(Shopper, "recommendations:read", TimeSpan.FromHours(1), keyId: HandMadeTokens.OtherKeyId, key: HandMadeTokens.OtherKey),
            _ => HandMadeTokens.Mint(Shopper, "recommendations:read", TimeSpan.FromDays(3)),
        };

        using var read = await SendAsync(HttpMethod.Get, $"/api/users/{Shopper}/recommendations", token);
        using var write = await SendAsync(HttpMethod.Post, "/api/events", token, Event(Shopper, $"bad-{kind}"));

        Assert.Contains(expected, await ProblemDetailAsync(read, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains(expected, await ProblemDetailAsync(write, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutTheRoutesScopeIsA403NamingTheScope()
    {
        using var read = await SendAsync(HttpMethod.Get, "/api/trending", Token(scope: "events:write"));
        using var write = await SendAsync(HttpMethod.Post, "/api/events", Token(scope: "recommendations:read"), Event(Shopper, "scope-1"));

        Assert.Contains("'recommendations:read'", await ProblemDetailAsync(read, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Contains("'events:write'", await ProblemDetailAsync(write, HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    public async Task AnAuthorizationHeaderThatIsNotABearerTokenIsA401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/trending");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await host.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ThePublicRoutesStillAnswerWithoutAToken()
    {
        using var list = await SendAsync(HttpMethod.Get, $"/api/public/users/{Shopper}/recommendations?count=3", null);
        using var trending = await SendAsync(HttpMethod.Get, "/api/public/trending", null);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.StartsWith("pub-", (await list.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("recommendationId").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, trending.StatusCode);
    }
}
