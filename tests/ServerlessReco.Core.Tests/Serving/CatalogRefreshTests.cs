using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>
/// Serving's catalogue is read whole once, then refreshed from the store's changes: counted through the store the
/// serving reads (the SQLite store of the sample shop), not timed.
/// </summary>
public sealed class CatalogRefreshTests : IDisposable
{
    private readonly ServingShop _shop = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task APutItemIsServedAfterARefreshThatReadsOnlyTheChanges()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var items = new CountingItemStore(_shop.Items);
        var service = new RecommendationService(new ModelCache(_shop.Models, Options()), items, _shop.Events, _shop.ServedLists, Options(), _time);
        await service.RefreshAsync();
        var user = _shop.ActiveUser();
        var withdrawn = (await service.RecommendAsync(new RecommendationRequest(user, 20), Cancel)).Items.Take(5).Select(i => i.ItemId).ToHashSet();

        await _shop.Items.UpsertAsync([.. withdrawn.Select(id => _shop.Item(id) with { Available = false })], Cancel);
        _time.Advance(TimeSpan.FromMinutes(1));
        await service.RefreshAsync();
        var list = await service.RecommendAsync(new RecommendationRequest(user, 20), Cancel);

        Assert.Equal(1, items.FullReads);
        Assert.Equal(1, items.IncrementalReads);
        Assert.Equal(withdrawn.Count, items.ItemsReadSince);
        Assert.Equal(20, list.Items.Count);
        Assert.DoesNotContain(list.Items, i => withdrawn.Contains(i.ItemId));
    }

    [Fact]
    public async Task NewAndReplacedItemsMergeIntoTheHeldCatalogueAndAnHourLaterItIsReadWholeAgain()
    {
        await _shop.StoreAsync();
        var items = new CountingItemStore(_shop.Items);
        var options = Options();
        var cache = new ServingStateCache(new ModelCache(_shop.Models, options), items, _shop.Events, _shop.ServedLists, options, _time, NullLogger.Instance);
        await cache.RefreshAsync();
        var before = cache.Current.Catalog;
        var replaced = _shop.Data.Items[0];

        await _shop.Items.UpsertAsync([new CatalogItem { ItemId = "arrival", Title = "Arrival" }, replaced with { Available = false }], Cancel);
        await cache.RefreshAsync();
        var merged = cache.Current.Catalog;
        await cache.RefreshAsync(); // nothing written since: the same snapshot, nothing rebuilt
        var unchanged = cache.Current.Catalog;
        _time.Advance(options.CatalogFullReadInterval);
        await cache.RefreshAsync();

        Assert.Equal(_shop.Data.Items.Count, before.ById.Count);
        Assert.Equal(_shop.Data.Items.Count + 1, merged.ById.Count);
        Assert.Equal("Arrival", merged.ById["arrival"].Title);
        Assert.True(merged.IsUnavailable(replaced.ItemId));
        Assert.False(before.IsUnavailable(replaced.ItemId));
        Assert.Same(merged, unchanged);
        Assert.Equal(2, items.FullReads);
        Assert.Equal(2, items.IncrementalReads);
        Assert.Equal(merged.ById.Keys.Order(StringComparer.Ordinal), cache.Current.Catalog.ById.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheFullReadIntervalIsASettingAShorterOneReadsTheWholeCatalogueSooner()
    {
        await _shop.StoreAsync();
        var items = new CountingItemStore(_shop.Items);
        var options = new ServingOptions { ExplorationSeed = 1, CatalogFullReadInterval = TimeSpan.FromMinutes(10) };
        var cache = new ServingStateCache(new ModelCache(_shop.Models, options), items, _shop.Events, _shop.ServedLists, options, _time, NullLogger.Instance);
        await cache.RefreshAsync();

        _time.Advance(TimeSpan.FromMinutes(9));
        await cache.RefreshAsync();
        var beforeTheInterval = (items.FullReads, items.IncrementalReads);
        _time.Advance(TimeSpan.FromMinutes(1));
        await cache.RefreshAsync();

        Assert.Equal((1, 1), beforeTheInterval);
        Assert.Equal((2, 1), (items.FullReads, items.IncrementalReads));
    }

    private static ServingOptions Options() => new() { ExplorationSeed = 1 };
}
