using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The sinks of served lists: the served-list store, and the observer seam the simulation uses.</summary>
public sealed class ServedListSinkTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task AnObserverGetsEveryServedListWithTheCandidatesThePolicyDrewFrom()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var observer = new Recorder();
        var options = new ServingOptions { ExplorationSeed = 1, Explore = 0.5 };
        var service = new RecommendationService(new ModelCache(_shop.Models, options), _shop.Items, _shop.Events, _shop.ServedLists, options, observer: observer);

        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), 10, SessionId: "s-1"), Cancel);
        var unknown = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), 10, "No such category"), Cancel);

        Assert.Equal([list.RecommendationId, unknown.RecommendationId], observer.Lists.Select(s => s.List.RecommendationId));
        var served = observer.Lists[0];
        Assert.Equal("s-1", served.Request.SessionId);
        Assert.Equal(list.Items.Count, served.Slots.Count);
        for (var p = 0; p < list.Items.Count; p++)
        {
            var rank = served.Slots[p].Rank;
            Assert.Equal(rank < 0 ? ReasonKind.NewArrival : list.Items[p].ReasonKind, list.Items[p].ReasonKind);
            Assert.True(rank < 0 || served.Candidates[rank].ItemId == list.Items[p].ItemId);
        }

        Assert.Equal(served.Shape.Head + served.Shape.Pool, served.Candidates.Count);
        Assert.Empty(observer.Lists[1].Candidates);
    }

    [Fact]
    public async Task AListIsOneRecordWithEverySlotAndNoEventAndAStoreFailureIsLoggedNotThrown()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var observer = new Recorder();
        var options = new ServingOptions { ExplorationSeed = 1, Explore = 0.5 };
        var service = new RecommendationService(new ModelCache(_shop.Models, options), _shop.Items, _shop.Events, _shop.ServedLists, options, observer: observer);
        var eventsBefore = await _shop.Events.CountAsync(Cancel);
        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), SessionId: "s-9"), Cancel);
        var served = observer.Lists.Single();
        var logger = new FakeLogger();

        await new ServedListLog(new FailingServedListStore(), logger).ServedAsync(served, Cancel);

        var stored = Assert.Single(await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel));
        Assert.Equal(list.RecommendationId, stored.ListId);
        Assert.Equal(("s-9", served.Shape.Policy, served.Shape.Explore), (stored.SessionId, stored.Policy, stored.Explore));
        Assert.Equal(list.Items.Select(i => (i.ItemId, i.SlotKind, i.Propensity)), stored.Slots.Select(s => (s.ItemId, s.Kind, s.Propensity)));
        Assert.Equal(list.Items.Select(i => (i.Score, (ReasonKind?)i.ReasonKind)), stored.Slots.Select(s => (s.Score, s.Source))); // what the click model learns from, as served
        Assert.Equal(served.Slots.Select(s => (s.Rank, s.IsNew, s.Inclusion)), stored.Slots.Select(s => (s.Rank, s.IsNew, s.Inclusion)));
        Assert.Equal(eventsBefore, await _shop.Events.CountAsync(Cancel));
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.IsType<IOException>(warning.Exception);
        Assert.DoesNotContain(served.Request.UserId, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithLoggingOffNoListIsStored()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(new ServingOptions { LogServedLists = false });

        await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);

        Assert.Empty(await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel));
    }

    private sealed class Recorder : IServedListSink
    {
        public List<ServedList> Lists { get; } = [];

        public Task ServedAsync(ServedList served, CancellationToken cancellationToken)
        {
            Lists.Add(served);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingServedListStore : IServedListStore
    {
        public Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default) => throw new IOException("down");

        public IAsyncEnumerable<ServedListRecord> ReadAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("down");
    }
}
