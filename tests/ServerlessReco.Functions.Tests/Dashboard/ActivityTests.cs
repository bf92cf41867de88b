using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Activity;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Functions;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Dashboard;

/// <summary>The dashboard's daily figures: counted right, and read from the store once per day, not per page load.</summary>
public sealed class ActivityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task ActivityCountsEventsPerDayAndTypeAndTheShoppersAndItemsActive()
    {
        var clock = new FakeTimeProvider(Now);
        await _shop.Items.UpsertAsync([new CatalogItem { ItemId = "a", Category = "toys" }, new CatalogItem { ItemId = "b", Category = "toys", Available = false }, new CatalogItem { ItemId = "c" }], Cancel);
        await _shop.Events.AppendAsync(
        [
            ServingShop.Event("u1", "a", EventType.View, at: Now.AddDays(-1)),
            ServingShop.Event("u1", "a", EventType.Purchase, at: Now.AddDays(-1).AddMinutes(1)),
            ServingShop.Event("u2", "b", EventType.Click, at: Now.AddHours(-1)),
            ServingShop.Event("u2", "b", EventType.Impression, at: Now.AddHours(-1).AddMinutes(1)),
            ServingShop.Event("u3", "c", EventType.View, at: Now.AddDays(-40)),
        ], Cancel);
        var activity = new ShopActivity(_shop.Events, _shop.Items, clock);

        var window = await activity.GetAsync(3, Cancel);

        Assert.Equal([new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 27)], window.Days.Select(d => d.Day));
        Assert.Empty(window.Days[0].Counts);
        Assert.Equal(new Dictionary<EventType, int> { [EventType.View] = 1, [EventType.Purchase] = 1 }, window.Days[1].Counts);
        Assert.Equal(new Dictionary<EventType, int> { [EventType.Click] = 1 }, window.Days[2].Counts);
        Assert.Equal((2, 2), (window.ActiveShoppers, window.ActiveItems));
        Assert.Equal(new CatalogueSize(3, 1), window.Catalogue);

        var trend = await activity.GetItemTrendAsync("a", 3, Cancel);
        Assert.Equal([(0, 0), (2, 2), (0, 1)], trend!.Days.Select(d => (d.Item, d.Category)));
        Assert.Null(await activity.GetItemTrendAsync("unknown", 3, Cancel));
    }

    [Fact]
    public async Task APageLoadReadsOnlyTodayOnceTheClosedDaysAreKnownAndNothingWithinAMinute()
    {
        var clock = new FakeTimeProvider(Now);
        var events = new CountingEventStore(_shop.Events);
        await events.AppendAsync([ServingShop.Event("u1", "a", EventType.View, at: Now.AddDays(-5))], Cancel);
        var activity = new ShopActivity(events, _shop.Items, clock);

        await activity.GetAsync(30, Cancel);
        await activity.GetAsync(30, Cancel);
        clock.Advance(TimeSpan.FromMinutes(1));
        await activity.GetAsync(30, Cancel);
        clock.Advance(TimeSpan.FromHours(1));
        var later = await activity.GetAsync(30, Cancel);

        Assert.Equal(
        [
            (Now.UtcDateTime.Date.AddDays(-29), Now.UtcDateTime.Date.AddDays(1)),
            (Now.UtcDateTime.Date, Now.UtcDateTime.Date.AddDays(1)),
            (Now.UtcDateTime.Date.AddDays(-29), Now.UtcDateTime.Date.AddDays(1)),
        ],
        events.Windows.Select(w => (w.From.UtcDateTime, w.To.UtcDateTime)));
        Assert.Equal(1, later.Days.Sum(d => d.Counts.Values.Sum()));
    }

    [Fact]
    public async Task TheActivityRouteRefusesABadWindowAndAnswersInWireNames()
    {
        await _shop.StoreAsync();
        var functions = new ActivityFunctions(new ShopActivity(_shop.Events, _shop.Items, TimeProvider.System), _shop.Items, _shop.Service());

        var bad = ResultAssert.Problem(await functions.GetActivity(FunctionTestContext.Get("?days=91"), Cancel), 400);
        var body = ResultAssert.Json(await functions.GetActivity(FunctionTestContext.Get("?days=30"), Cancel), 200);
        var badItem = ResultAssert.Problem(await functions.GetItemActivity(FunctionTestContext.Get("?days=0&count=101"), " ", Cancel), 400);

        ResultAssert.Problem(await functions.GetItemActivity(FunctionTestContext.Get(""), "no-such-item", Cancel), 404);
        Assert.Equal([(null, "days")], bad);
        Assert.Equal(["itemId", "days", "count"], badItem.Select(e => e.Field));
        Assert.Equal(30, body.GetProperty("perDay").GetArrayLength());
        Assert.Equal(["view", "click", "add_to_cart", "purchase", "rating", "dismiss", "favorite"], body.GetProperty("perDay")[0].GetProperty("events").EnumerateObject().Select(p => p.Name));
        Assert.True(body.GetProperty("activeShoppers").GetInt32() > 0);
    }

    /// <summary>The real store, with the windows it was asked to read written down.</summary>
    private sealed class CountingEventStore(IEventStore inner) : IEventStore
    {
        public List<(DateTimeOffset From, DateTimeOffset To)> Windows { get; } = [];

        public IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
        {
            Windows.Add((from!.Value, to!.Value));
            return inner.ReadAllAsync(from, to, cancellationToken);
        }

        public Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default) => inner.AppendAsync(events, cancellationToken);

        public IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadUserHistoryAsync(userId, limit, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

        public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) => inner.DeleteUserEventsAsync(userId, cancellationToken);

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(now, cancellationToken);
    }
}
