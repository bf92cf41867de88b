using System.Net;
using System.Text;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The local host applies CORS from Host:CORS and Host:CORSCredentials, as func start does.</summary>
public sealed class LocalCorsTests(OpenLocalHostFixture host) : IClassFixture<OpenLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Request(HttpMethod method, string path, string origin)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        return request;
    }

    [Theory]
    [InlineData(OpenLocalHostFixture.ShopOrigin)]
    [InlineData(OpenLocalHostFixture.OtherAllowedOrigin)]
    public async Task AnAllowedOriginGetsTheAllowOriginHeaderWithCredentials(string origin)
    {
        using var response = await host.Client.SendAsync(Request(HttpMethod.Get, "/api/trending", origin), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([origin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task AnotherOriginGetsNoCorsHeadersButTheSameAnswer()
    {
        using var response = await host.Client.SendAsync(Request(HttpMethod.Get, "/api/trending", "https://evil.example"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task APreflightForAnAllowedOriginIsAnsweredWithTheMethodAndHeaders()
    {
        var preflight = Request(HttpMethod.Options, "/api/events", OpenLocalHostFixture.ShopOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-functions-key");

        using var response = await host.Client.SendAsync(preflight, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([OpenLocalHostFixture.ShopOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("POST", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.Contains("x-functions-key", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task APreflightForAnotherOriginAllowsNothing()
    {
        var preflight = Request(HttpMethod.Options, "/api/events", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await host.Client.SendAsync(preflight, Cancel);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task ACrossOriginWriteFromAnAllowedOriginIsServedWithTheHeader()
    {
        var post = Request(HttpMethod.Post, "/api/events", OpenLocalHostFixture.ShopOrigin);
        post.Content = new StringContent("""{"userId":"cors-user","itemId":"i1","type":"view"}""", Encoding.UTF8, "application/json");

        using var response = await host.Client.SendAsync(post, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([OpenLocalHostFixture.ShopOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }
}

/// <summary>Without Host:CORS no origin is allowed, as with func start.</summary>
public sealed class NoCorsByDefaultTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task WithoutCorsSettingsNoOriginGetsTheHeader()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/events");
        request.Headers.Add("Origin", OpenLocalHostFixture.ShopOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
