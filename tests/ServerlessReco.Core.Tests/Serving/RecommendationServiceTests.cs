using System.Collections.Concurrent;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The serving core over the embedded store with a model trained on the sample shop.</summary>
public sealed class RecommendationServiceTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task AListNamesTheModelVersionAndAReasonForEachItem()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();

        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);

        Assert.Equal(ServingSource.Model, list.Source);
        Assert.Equal("v1", list.ModelVersion);
        Assert.Equal(10, list.Items.Count);
        Assert.StartsWith("rec-", list.RecommendationId);
        Assert.All(list.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Reason)));
        var fromHistory = list.Items.Where(i => i.ReasonKind == ReasonKind.History).ToList();
        Assert.NotEmpty(fromHistory);
        Assert.All(fromHistory, i =>
        {
            Assert.StartsWith("because you ", i.Reason);
            Assert.Contains(_shop.Item(i.BasedOn!).Title!, i.Reason);
        });
        Assert.Equal(list.Items.Count, list.Items.Select(i => i.ItemId).Distinct().Count());
        Assert.NotEqual(list.RecommendationId, (await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel)).RecommendationId);
    }

    [Fact]
    public async Task AFreshPurchaseChangesTheNextListAndIsNotRecommendedAgain()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();
        var user = _shop.ActiveUser(3);
        var before = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        var bought = before.Items[0].ItemId;

        await _shop.Events.AppendAsync([ServingShop.Event(user, bought, EventType.Purchase)], Cancel);
        var after = await service.RecommendAsync(new RecommendationRequest(user), Cancel);

        Assert.DoesNotContain(after.Items, i => i.ItemId == bought);
        Assert.NotEqual(before.Items.Select(i => i.ItemId), after.Items.Select(i => i.ItemId));
        Assert.Contains(after.Items, i => i.BasedOn == bought && i.Reason.StartsWith("because you bought ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepeatPurchasesComeBackWhenTheShopWantsThem()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var user = _shop.ActiveUser();
        var purchased = _shop.Data.Events.Where(e => e.UserId == user && e.Type == EventType.Purchase).Select(e => e.ItemId).ToHashSet();
        Assert.NotEmpty(purchased);

        var strict = await _shop.Service().RecommendAsync(new RecommendationRequest(user, 100), Cancel);
        var repeat = await _shop.Service(new ServingOptions { AllowRepeatPurchases = true, ExcludeSeen = false }).RecommendAsync(new RecommendationRequest(user, 100), Cancel);

        Assert.DoesNotContain(strict.Items, i => purchased.Contains(i.ItemId));
        Assert.Contains(repeat.Items, i => purchased.Contains(i.ItemId));
    }

    [Fact]
    public async Task UnavailableItemsAreNeverServed()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();
        var users = _shop.Data.UserIds.Take(40).ToList();
        var served = new HashSet<string>();
        foreach (var user in users)
        {
            served.UnionWith((await service.RecommendAsync(new RecommendationRequest(user, 20), Cancel)).Items.Select(i => i.ItemId));
        }

        var trending = await service.TrendingAsync(null, 20, Cancel);
        served.UnionWith(trending.Items.Select(i => i.ItemId));
        var withdrawn = served.Take(served.Count / 2).ToHashSet();
        await _shop.Items.UpsertAsync([.. withdrawn.Select(id => _shop.Item(id) with { Available = false })], Cancel);
        await service.RefreshAsync();

        foreach (var user in users)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(user, 20), Cancel);
            Assert.Equal(20, list.Items.Count);
            Assert.DoesNotContain(list.Items, i => withdrawn.Contains(i.ItemId));
        }

        Assert.DoesNotContain((await service.TrendingAsync(null, 100, Cancel)).Items, i => withdrawn.Contains(i.ItemId));
        foreach (var item in withdrawn.Take(10))
        {
            var similar = await service.SimilarAsync(item, 20, Cancel);
            Assert.DoesNotContain(similar!.Items, i => withdrawn.Contains(i.ItemId));
        }
    }

    [Fact]
    public async Task TheCategoryFilterServesOnlyThatCategory()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();

        foreach (var category in _shop.Data.Items.Select(i => i.Category!).Distinct())
        {
            var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), 10, category.ToUpperInvariant()), Cancel);
            Assert.NotEmpty(list.Items);
            Assert.All(list.Items, i => Assert.Equal(category, _shop.Item(i.ItemId).Category));
            var trending = await service.TrendingAsync(category, 5, Cancel);
            Assert.All(trending.Items, i => Assert.Equal(category, i.Category));
        }

        Assert.Empty((await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), 10, "No such category"), Cancel)).Items);
    }

    [Fact]
    public async Task AColdStartUserGetsTrendingShapedByTheSession()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var category = _shop.Data.Items.GroupBy(i => i.Category!).OrderBy(g => g.Count()).First().Key;

        // New items (added after training, no interactions yet) in that category, one of them viewed this session.
        var now = DateTimeOffset.UtcNow;
        CatalogItem[] arrivals =
        [
            new() { ItemId = "new-1", Title = "Brand New One", Category = category, CreatedAt = now.AddHours(-2) },
            new() { ItemId = "new-2", Title = "Brand New Two", Category = category, CreatedAt = now.AddHours(-1) },
        ];
        await _shop.Items.UpsertAsync(arrivals, Cancel);
        await _shop.Events.AppendAsync([ServingShop.Event("visitor", "new-1", EventType.View, "s-1")], Cancel);
        var service = _shop.Service();

        var stranger = await service.RecommendAsync(new RecommendationRequest("nobody-yet"), Cancel);
        // Strangers' lists take the day's arrivals in turns (an arrival nobody saw yet goes first, whatever its
        // category): once each has been shown, the visitor's slot holds an arrival of the session's category.
        for (var i = 0; i < 30; i++)
        {
            await service.RecommendAsync(new RecommendationRequest($"stranger-{i}"), Cancel);
        }

        var visitor = await service.RecommendAsync(new RecommendationRequest("visitor", 10, null, "s-1"), Cancel);

        Assert.Equal(10, stranger.Items.Count);
        Assert.All(stranger.Items, i => Assert.Contains(i.ReasonKind, new[] { ReasonKind.Trending, ReasonKind.Popular, ReasonKind.NewArrival }));
        Assert.True(stranger.Items.Count(i => i.Category == category) < 5);
        Assert.True(visitor.Items.Count(i => i.Category == category) >= 6, string.Join("; ", visitor.Items.Select(i => $"{i.ItemId} {i.Category} {i.Reason}")));
        Assert.Equal(category, visitor.Items[0].Category);
        Assert.Contains(visitor.Items, i => i.Reason == $"trending in {category}");
        Assert.Contains(visitor.Items, i => i.ItemId == "new-2" && i.Reason == "new arrival");
        Assert.DoesNotContain(visitor.Items, i => i.ItemId == "new-1");
    }

    [Fact]
    public async Task SimilarItemsAreNamedAfterTheItemAndUnknownItemsAreNull()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();
        var item = _shop.Data.Events.GroupBy(e => e.ItemId).OrderByDescending(g => g.Count()).First().Key;

        var similar = await service.SimilarAsync(item, 5, Cancel);

        Assert.Equal(5, similar!.Items.Count);
        Assert.DoesNotContain(similar.Items, i => i.ItemId == item);
        Assert.Equal($"similar to {_shop.Item(item).Title}", similar.Items[0].Reason);
        Assert.Null(await service.SimilarAsync("nobody-knows-this", 5, Cancel));
    }

    [Fact]
    public async Task WithNoModelItAnswersFromPopularityAndSaysSo()
    {
        await _shop.StoreAsync();
        var service = _shop.Service();

        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);

        Assert.Equal(ServingSource.PopularityFallback, list.Source);
        Assert.Null(list.ModelVersion);
        Assert.Equal(10, list.Items.Count);
        Assert.Equal(ServingSource.PopularityFallback, (await service.TrendingAsync(null, 5, Cancel)).Source);
    }

    [Fact]
    public async Task WithTheBlobStoreUnreachableItAnswersFromPopularity()
    {
        await _shop.StoreAsync();
        var service = _shop.Service(models: new UnreachableModelStore());

        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);
        var similar = await service.SimilarAsync(_shop.Data.Items[0].ItemId, 5, Cancel);

        Assert.Equal(ServingSource.PopularityFallback, list.Source);
        Assert.Equal(10, list.Items.Count);
        Assert.NotNull(similar);
    }

    [Fact]
    public async Task ALoadedModelKeepsServingWhenTheBlobStoreGoesDown()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var store = new SwitchableModelStore(_shop.Models);
        var service = _shop.Service(new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(1) }, store);
        Assert.Equal("v1", (await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel)).ModelVersion);

        store.Down = true;
        await service.Models.RefreshAsync();
        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);

        Assert.Equal("v1", list.ModelVersion);
    }

    [Fact]
    public async Task APromotedVersionIsSwappedInUnderConcurrentRequests()
    {
        await _shop.StoreAsync();
        var artifact = await _shop.PublishAsync("v1");
        var service = _shop.Service(new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(20) });
        var users = _shop.Data.UserIds.Take(50).ToArray();
        var seen = new ConcurrentQueue<(int Worker, int Sequence, string? Version, int Count)>();
        var failures = new ConcurrentQueue<Exception>();
        var promoted = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task Worker(int worker)
        {
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                try
                {
                    var list = await service.RecommendAsync(new RecommendationRequest(users[(worker + sequence) % users.Length]), Cancel);
                    seen.Enqueue((worker, sequence, list.ModelVersion, list.Items.Count));
                    if (list.ModelVersion == "v2" && sequence > 0)
                    {
                        // Keep going a little after the swap so later requests are observed too.
                        await promoted.Task;
                        if (seen.Count(s => s.Worker == worker && s.Version == "v2") > 20)
                        {
                            return;
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Worker(w), Cancel)).ToArray();
        await Task.Delay(300, Cancel);
        await ServingShop.PublishAsync(_shop.Models, "v2", artifact);
        promoted.SetResult();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.All(seen, s => Assert.Equal(10, s.Count));
        Assert.Contains(seen, s => s.Version == "v1");
        foreach (var worker in seen.GroupBy(s => s.Worker))
        {
            var versions = worker.OrderBy(s => s.Sequence).Select(s => s.Version).ToList();
            var firstV2 = versions.IndexOf("v2");
            Assert.True(firstV2 >= 0, $"worker {worker.Key} never saw v2");
            Assert.All(versions.Skip(firstV2), v => Assert.Equal("v2", v));
            Assert.All(versions.Take(firstV2), v => Assert.Equal("v1", v));
        }
    }
}
