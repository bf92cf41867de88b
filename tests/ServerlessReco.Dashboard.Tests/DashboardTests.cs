using Microsoft.Playwright;

namespace ServerlessReco.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against the local host: every view from real data, a rollback through the page, a
/// wrong key, and what the page must never keep or log. Run on each store by the subclasses below.
/// </summary>
public abstract class DashboardTests(DashboardHost host) : IAsyncLifetime
{
    private readonly List<string> _console = [];
    private IBrowserContext _context = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>Screenshots are named after the store, so the two runs do not overwrite each other.</summary>
    protected abstract string StoreName { get; }

    public async ValueTask InitializeAsync()
    {
        host.EnsureAvailable();
        _context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        Page = await _context.NewPageAsync();
        Page.Console += (_, message) => _console.Add($"{message.Type}: {message.Text}");
        Page.PageError += (_, error) => _console.Add($"pageerror: {error}");
        await Page.GotoAsync($"{host.BaseUrl}/api/dashboard");
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TheOverviewRendersItsChartsFromRealData()
    {
        await ConnectAsync(host.AdminKey);

        var activity = await host.GetAsync("/api/manage/activity?days=30");
        var total = activity.GetProperty("perDay").EnumerateArray().Sum(d => d.GetProperty("events").EnumerateObject().Sum(e => e.Value.GetInt32()));
        var events = Page.Locator("#events-chart");
        Assert.True(total > 1000, $"The sample shop has {total} events in 30 days.");
        Assert.Equal(Invariant(total), await events.GetAttributeAsync("data-total"));
        Assert.True(int.Parse((await events.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture) >= 30);
        Assert.Equal(1, await events.Locator("canvas").CountAsync());
        // nDCG@10, coverage and training time per version, and the ring on the serving one.
        var versions = (await host.GetAsync("/api/manage/models")).GetProperty("versions").GetArrayLength();
        Assert.Equal(Invariant(3 * versions + 1), await Page.Locator("#models-chart").GetAttributeAsync("data-points"));
        await Assertions.Expect(Page.Locator("#overview-cards")).ToContainTextAsync(activity.GetProperty("catalogue").GetProperty("items").GetInt32().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));

        // Beside the gate's decision, the serving version's interval, blend and content verdict, as its record says them.
        var models = await host.GetAsync("/api/manage/models");
        var serving = models.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("current").GetBoolean()).GetProperty("metrics");
        var cards = Page.Locator("#overview-cards");
        await Assertions.Expect(cards).ToContainTextAsync(GateInterval(serving.GetProperty("gate"), "againstPopularity"));
        await Assertions.Expect(cards).ToContainTextAsync(serving.GetProperty("blend").GetProperty("reason").GetString()!);
        await Assertions.Expect(cards).ToContainTextAsync(serving.GetProperty("content").GetProperty("reason").GetString()!);
        await ScreenshotAsync("overview");
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task TheOverviewShowsTheRequestsTheRateLimitsRefused()
    {
        // One client address over its keyless limit: the requests past it are refused with 429, and counted.
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i <= DashboardHost.AddressPerMinute; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/public/trending");
            request.Headers.Add("X-Forwarded-For", $"192.0.2.{StoreName.Length + 10}");
            using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        await ConnectAsync(host.AdminKey);

        var limits = await host.GetAsync("/api/manage/limits");
        var refused = limits.GetProperty("clientAddresses").GetProperty("refused").GetInt64();
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(refused >= 1, $"The report counted {refused} refusals.");
        var cards = Page.Locator("#overview-cards");
        await Assertions.Expect(cards).ToContainTextAsync("Rate-limit refusals");
        await Assertions.Expect(cards).ToContainTextAsync($"client addresses {Invariant(refused)} ({DashboardHost.AddressPerMinute}/min)");
        await Assertions.Expect(cards).ToContainTextAsync($"shopper tokens {Invariant(limits.GetProperty("shopperTokens").GetProperty("refused").GetInt64())}");
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task TheExplorationViewChartsTheServedListsWithIntervalsAndEstimates()
    {
        await ConnectAsync(host.AdminKey);
        await ShowAsync("exploration");

        Assert.True(int.Parse((await Page.Locator("#ctr-chart").GetAttributeAsync("data-series"))!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        await Assertions.Expect(Page.Locator("#estimates-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#online-table")).ToContainTextAsync("±");
        var report = await host.GetAsync("/api/manage/exploration?days=14");
        await Assertions.Expect(Page.Locator("#exploration-cards")).ToContainTextAsync($"Exploration rate{report.GetProperty("explore").GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
        await Assertions.Expect(Page.Locator("#adaptive-reason")).ToContainTextAsync(
            report.TryGetProperty("adaptiveRate", out var choice) ? choice.GetProperty("reason").GetString()! : "the configured rate serves");
        await ScreenshotAsync("exploration");
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task AShopperLookupShowsTheListWithReasonsBesideTheListWithoutExploration()
    {
        await ConnectAsync(host.AdminKey);
        await ShowAsync("shopper", async () =>
        {
            await Page.FillAsync("#shopper-id", DashboardHost.Shopper);
            await Page.ClickAsync("#shopper-form button");
        });

        var now = Page.Locator("[data-list=now] tbody tr");
        Assert.Equal(10, await now.CountAsync());
        foreach (var reason in await Page.Locator("[data-list=now] .reason").AllTextContentsAsync())
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }

        var answer = await host.GetAsync($"/api/manage/users/{DashboardHost.Shopper}");
        await Assertions.Expect(Page.Locator("#shopper-greedy .note")).ToContainTextAsync(answer.GetProperty("withoutExploration").GetProperty("policy").GetString()!);
        Assert.Equal(
            answer.GetProperty("withoutExploration").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reason").GetString()!),
            await Page.Locator("[data-list=greedy] .reason").AllTextContentsAsync());
        await Assertions.Expect(Page.Locator("#shopper-events tbody tr").First).ToBeVisibleAsync();
        await ScreenshotAsync("shopper");
        await AssertNothingKeptOrLoggedAsync();
    }

    [Fact]
    public async Task AnItemShowsItsRecordSimilarItemsAndItsTrendInItsCategory()
    {
        var item = (await host.GetAsync("/api/trending?count=1")).GetProperty("items")[0].GetProperty("itemId").GetString()!;
        await ConnectAsync(host.AdminKey);
        await ShowAsync("item", async () =>
        {
            await Page.FillAsync("#item-id", item);
            await Page.ClickAsync("#item-form button");
        });

        await Assertions.Expect(Page.Locator("#item-record")).ToContainTextAsync(item);
        Assert.True(await Page.Locator("#item-similar tbody tr").CountAsync() > 0);
        Assert.Equal("2", await Page.Locator("#item-chart").GetAttributeAsync("data-series"));
        await ScreenshotAsync("item");
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task ARollbackThroughThePageChangesTheServingVersion()
    {
        var before = await host.GetAsync("/api/manage/models");
        var serving = before.GetProperty("current").GetProperty("version").GetString();
        var other = before.GetProperty("versions").EnumerateArray()
            .First(v => !v.GetProperty("current").GetBoolean() && v.GetProperty("complete").GetBoolean()).GetProperty("version").GetString()!;
        await ConnectAsync(host.AdminKey);
        await ShowAsync("models");

        // Each version's gate interval against popularity is in its row, as the version record has it, and so are the
        // blend of candidate families and the content verdict, each with the record's reason.
        var first = before.GetProperty("versions")[0].GetProperty("metrics");
        var row = Page.Locator("#models-table tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync(GateInterval(first.GetProperty("gate"), "againstPopularity"));
        await Assertions.Expect(row.Locator("[data-blend]")).ToContainTextAsync(first.GetProperty("blend").GetProperty("reason").GetString()!);
        await Assertions.Expect(row.Locator("[data-content]")).ToContainTextAsync(first.GetProperty("content").GetProperty("reason").GetString()!);
        await Assertions.Expect(row.Locator("[data-content]")).ToContainTextAsync(first.GetProperty("content").GetProperty("used").GetBoolean() ? "used" : "not used");

        Page.Dialog += (_, _) => Assert.Fail("The page must confirm in its own dialog, not a browser prompt.");
        await Page.ClickAsync($"button[data-promote='{other}']");
        await Assertions.Expect(Page.Locator("#confirm-promote")).ToBeVisibleAsync();
        await ScreenshotAsync("models-confirm");
        await Page.ClickAsync("#confirm-button");

        await Assertions.Expect(Page.Locator("#models-table table")).ToHaveAttributeAsync("data-current", other);
        await Assertions.Expect(Page.Locator("#status")).ToContainTextAsync($"{other} serves now");
        Assert.Equal(other, (await host.GetAsync("/api/manage/models")).GetProperty("current").GetProperty("version").GetString());
        Assert.NotEqual(serving, other);
        await ScreenshotAsync("models");
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task AWrongKeyShowsAClearMessageAndIsForgotten()
    {
        await ConnectAsync("not-the-admin-key", expectReady: false);

        await Assertions.Expect(Page.Locator("#status.refused")).ToContainTextAsync("The admin key was refused (HTTP 401)");
        Assert.Equal("error", await Page.Locator("#overview").GetAttributeAsync("data-state"));
        Assert.Null(await Page.EvaluateAsync<string?>("sessionStorage.getItem('reco.adminKey')"));
        await ScreenshotAsync("wrong-key");
    }

    /// <summary>A gate comparison as the page shows it: the paired difference's size and the interval's half-width.</summary>
    private static string GateInterval(System.Text.Json.JsonElement gate, string against)
    {
        var comparison = gate.GetProperty(against);
        var halfWidth = gate.GetProperty("standardErrors").GetDouble() * comparison.GetProperty("standardError").GetDouble();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Abs(comparison.GetProperty("difference").GetDouble()):N4} ± {halfWidth:N4}");
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private async Task ConnectAsync(string key, bool expectReady = true)
    {
        await Page.FillAsync("#admin-key", key);
        await Page.ClickAsync("#key-form button[type=submit]");
        var state = expectReady ? "ready" : "error";
        await Assertions.Expect(Page.Locator("#overview")).ToHaveAttributeAsync("data-state", state, new() { Timeout = 30_000 });
    }

    private async Task ShowAsync(string view, Func<Task>? lookUp = null)
    {
        await Page.ClickAsync($"#views button[data-view={view}]");
        if (lookUp is not null)
        {
            await lookUp();
        }

        await Assertions.Expect(Page.Locator($"#{view}")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
    }

    private Task ScreenshotAsync(string view) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardHost.ScreenshotFolder, $"dashboard-{view}{StoreName}.png"), FullPage = true });

    /// <summary>No error or failed check in the console: a Content-Security-Policy violation would be one.</summary>
    private void AssertNoErrorsLogged() =>
        Assert.DoesNotContain(_console, line => line.StartsWith("error", StringComparison.Ordinal) || line.StartsWith("pageerror", StringComparison.Ordinal));

    private async Task AssertNothingKeptOrLoggedAsync()
    {
        var local = await Page.EvaluateAsync<string>("JSON.stringify(Object.entries(localStorage))");
        var session = await Page.EvaluateAsync<string[][]>("Object.entries(sessionStorage)");
        Assert.Equal("[]", local);
        Assert.Equal([["reco.adminKey", host.AdminKey]], session);
        Assert.All(_console, line => Assert.DoesNotContain(host.AdminKey, line, StringComparison.Ordinal));
        Assert.All(_console, line => Assert.DoesNotContain(DashboardHost.Shopper, line, StringComparison.Ordinal));
        AssertNoErrorsLogged();
    }
}

public sealed class DashboardOnTheEmbeddedStoreTests(EmbeddedDashboardHost host) : DashboardTests(host), IClassFixture<EmbeddedDashboardHost>
{
    protected override string StoreName => "";
}

public sealed class DashboardOnTheEmulatorsTests(EmulatorDashboardHost host) : DashboardTests(host), IClassFixture<EmulatorDashboardHost>
{
    protected override string StoreName => "-emulators";
}
