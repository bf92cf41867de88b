using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Functions.Http;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Dashboard;

/// <summary>The shopper view's route, and the page and its key check through the local host.</summary>
public sealed class ShopperRouteTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task AShopperLookIsTheListServingWouldGiveAndRecordsNothing()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(new ServingOptions { Explore = 0.5 });
        var before = await _shop.Events.CountAsync(Cancel);
        var user = _shop.ActiveUser();

        var body = ResultAssert.Json(await new ShoppersFunctions(service).GetShopper(FunctionTestContext.Get("?count=5"), user, Cancel), 200);

        Assert.Equal(before, await _shop.Events.CountAsync(Cancel));
        Assert.Empty(await _shop.ServedLists.ReadAsync(DateTimeOffset.UnixEpoch, cancellationToken: Cancel).ToListAsync(Cancel));
        Assert.Equal(5, body.GetProperty("recommendations").GetProperty("items").GetArrayLength());
        Assert.Equal("uncertainty(0.5)", body.GetProperty("recommendations").GetProperty("policy").GetString());
        Assert.Equal("uncertainty(0)", body.GetProperty("withoutExploration").GetProperty("policy").GetString());
        Assert.All(body.GetProperty("recommendations").GetProperty("items").EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("reason").GetString())));
        var events = body.GetProperty("recentEvents").EnumerateArray().Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.NotEmpty(events);
        Assert.Equal(events.OrderDescending(), events);
        Assert.Equal(
            [(null, "userId"), (null, "count")],
            ResultAssert.Problem(await new ShoppersFunctions(service).GetShopper(FunctionTestContext.Get("?count=0"), "", Cancel), 400));
    }

    [Fact]
    public async Task TheTimelineGivesEachDayItsFiguresWithIntervalsAndTheShareOfTheCatalogueShown()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();
        for (var i = 0; i < 20; i++)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(i)), Cancel);
            await _shop.Events.AppendAsync([ServingShop.Event(_shop.ActiveUser(i), list.Items[0].ItemId, EventType.Click) with { RecommendationId = list.RecommendationId }], Cancel);
        }

        var activity = new Core.Activity.ShopActivity(_shop.Events, _shop.Items, TimeProvider.System);
        var body = ResultAssert.Json(await new ExplorationTimelineFunctions(_shop.ServedLists, _shop.Events, activity, TimeProvider.System).GetExplorationTimeline(FunctionTestContext.Get("?days=3"), Cancel), 200);

        var days = body.GetProperty("perDay").EnumerateArray().ToList();
        Assert.Equal(3, days.Count);
        var all = days[^1].GetProperty("rows").EnumerateArray().First(r => r.GetProperty("slotKind").GetString() == "all");
        Assert.Equal((20, 200, 20), (all.GetProperty("lists").GetInt32(), all.GetProperty("impressions").GetInt32(), all.GetProperty("clicks").GetInt32()));
        Assert.Equal(1.96 * Math.Sqrt(0.1 * 0.9 / 200), all.GetProperty("clickThroughRateMargin").GetDouble(), 9);
        Assert.InRange(body.GetProperty("shareShown").GetDouble(), 0.01, 1);
        Assert.Equal(body.GetProperty("itemsShown").GetInt32() / (double)_shop.Data.Items.Count, body.GetProperty("shareShown").GetDouble(), 9);
    }
}

/// <summary>The local host with an admin key: the page is anonymous, its data needs the key.</summary>
public sealed class KeyedLocalHostFixture() : LocalHostFixture(["--LocalHost:AdminKey=local-admin-key"]);

public sealed class DashboardPageTests(KeyedLocalHostFixture host) : IClassFixture<KeyedLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePageAndItsFilesAreServedWithAPolicyThatAllowsOnlyTheirOwnScripts()
    {
        using var page = await host.Client.GetAsync("/api/dashboard", Cancel);
        using var chart = await host.Client.GetAsync("/api/dashboard/uPlot.iife.min.js", Cancel);
        using var unknown = await host.Client.GetAsync("/api/dashboard/secrets.json", Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardAssets.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", DashboardAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Contains("uPlot", await chart.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.All(DashboardAssets.Names, name => Assert.True(DashboardAssets.TryGet(name, out var content, out _) && content.Length > 0, name));
    }

    [Fact]
    public async Task AdminRoutesWantTheLocalAdminKeyWhenOneIsSet()
    {
        using var without = await host.Client.GetAsync("/api/manage/activity", Cancel);
        using var wrong = await Send("/api/manage/activity", "not-it");
        using var right = await Send("/api/manage/activity", "local-admin-key");
        using var byQuery = await host.Client.GetAsync("/api/manage/models?code=local-admin-key", Cancel);
        using var keyedRead = await host.Client.GetAsync("/api/trending", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Empty(await wrong.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(30, (await right.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("perDay").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyedRead.StatusCode);
    }

    private Task<HttpResponseMessage> Send(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", key);
        return host.Client.SendAsync(request, Cancel);
    }
}
