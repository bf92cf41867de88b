using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The limiter alone: a bucket per key, a 429 problem with Retry-After past it, refusals counted, 0 for off.</summary>
public sealed class RateLimitTests
{
    private static HttpRequest From(string address)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = $"203.0.113.9, {address}";
        return context.Request;
    }

    [Fact]
    public void EachShopperHasABucketOfItsOwnAndTheOneOverItIsA429WithRetryAfter()
    {
        using var limits = new ClientRateLimits(new RateLimitOptions { ShopperPerMinute = 5 }, TimeProvider.System);

        var admitted = Enumerable.Range(0, 5).Select(_ => limits.AdmitShopper("a")).ToList();
        var refused = limits.AdmitShopper("a");

        Assert.All(admitted, Assert.Null);
        Assert.Null(limits.AdmitShopper("b"));
        var headered = Assert.IsType<HeaderedResult>(refused);
        Assert.InRange(int.Parse(headered.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = ResultAssert.Json(headered.Inner, StatusCodes.Status429TooManyRequests);
        Assert.Contains("more than 5 requests a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Problems.ContentType, Assert.IsType<JsonResult>(headered.Inner).ContentType);
        Assert.Equal(1, limits.Report().ShopperTokens.Refused);
        Assert.Equal(0, limits.Report().ClientAddresses.Refused);
    }

    [Fact]
    public void KeylessCallersAreCountedPerAddressTheNearestProxyReports()
    {
        using var limits = new ClientRateLimits(new RateLimitOptions { AddressPerMinute = 2 }, TimeProvider.System);

        Assert.Null(limits.AdmitAddress(From("198.51.100.1")));
        Assert.Null(limits.AdmitAddress(From("198.51.100.1")));
        Assert.NotNull(limits.AdmitAddress(From("198.51.100.1")));
        Assert.Null(limits.AdmitAddress(From("198.51.100.2")));
        Assert.Equal("198.51.100.2", ClientRateLimits.AddressOf(From("198.51.100.2")));
        Assert.Equal(1, limits.Report().ClientAddresses.Refused);
    }

    [Fact]
    public async Task ABucketRefillsOverTheMinute()
    {
        using var limits = new ClientRateLimits(new RateLimitOptions { ShopperPerMinute = 120 }, TimeProvider.System);
        for (var i = 0; i < 120; i++)
        {
            Assert.Null(limits.AdmitShopper("refill"));
        }

        Assert.NotNull(limits.AdmitShopper("refill"));
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // one token back every half second

        Assert.Null(limits.AdmitShopper("refill"));
    }

    [Fact]
    public void ZeroTurnsALimitOffAndNegativeSettingsStopTheStart()
    {
        using var off = new ClientRateLimits(new RateLimitOptions { ShopperPerMinute = 0, AddressPerMinute = 0 }, TimeProvider.System);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Null(off.AdmitShopper("x")));
        Assert.Contains("RateLimits:ShopperPerMinute", new RateLimitOptions { ShopperPerMinute = -1 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("RateLimits:AddressPerMinute", new RateLimitOptions { AddressPerMinute = -5 }.Problem(), StringComparison.Ordinal);
        Assert.Null(new RateLimitOptions().Problem());
    }
}

/// <summary>The local host with small limits, tokens on and anonymous reads on.</summary>
public sealed class LimitedLocalHostFixture() : LocalHostFixture(
[
    $"--ShopperTokens:SigningKeys={HandMadeTokens.SigningKeys}",
    "--Reco:AllowAnonymousReads=true",
    "--RateLimits:ShopperPerMinute=3",
    "--RateLimits:AddressPerMinute=2",
]);

/// <summary>The limits through the real local host: 429 problems with Retry-After, counted in GET /api/manage/limits.</summary>
public sealed class RateLimitsOverHttpTests(LimitedLocalHostFixture host) : IClassFixture<LimitedLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ShopperTokensAndKeylessAddressesAreLimitedAndTheAdminReportCountsTheRefusals()
    {
        var token = HandMadeTokens.Mint("limited-shopper", "recommendations:read", TimeSpan.FromHours(1));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/trending");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            last?.Dispose();
            last = await host.Client.SendAsync(request, Cancel);
            statuses.Add(last.StatusCode);
        }

        var publicStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/public/trending");
            request.Headers.Add("X-Forwarded-For", "192.0.2.77");
            using var response = await host.Client.SendAsync(request, Cancel);
            publicStatuses.Add(response.StatusCode);
        }

        using var keyed = await host.Client.GetAsync("/api/trending", Cancel); // a server caller without a token: not limited
        var report = await host.Client.GetFromJsonAsync<JsonElement>("/api/manage/limits", Cancel);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(Problems.ContentType, last.Content.Headers.ContentType?.MediaType);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], publicStatuses);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal(1, report.GetProperty("shopperTokens").GetProperty("refused").GetInt64());
        Assert.Equal(1, report.GetProperty("clientAddresses").GetProperty("refused").GetInt64());
        Assert.Equal(3, report.GetProperty("shopperTokens").GetProperty("perMinute").GetInt32());
        last.Dispose();
    }
}
