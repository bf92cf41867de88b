using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The sinks of served lists: impression logging, and the observer seam the simulation uses.</summary>
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
        var service = new RecommendationService(new ModelCache(_shop.Models, options), _shop.Items, _shop.Events, options, observer: observer);

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
    public async Task ImpressionsAreOneEventPerSlotAndAStoreFailureIsLoggedNotThrown()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var observer = new Recorder();
        var options = new ServingOptions { ExplorationSeed = 1, LogImpressions = false };
        var service = new RecommendationService(new ModelCache(_shop.Models, options), _shop.Items, _shop.Events, options, observer: observer);
        await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);
        var served = observer.Lists.Single();
        var logger = new FakeLogger();

        var events = ImpressionLog.Impressions(served);
        await new ImpressionLog(new FailingEventStore(), logger).ServedAsync(served, Cancel);

        Assert.Equal(served.List.Items.Select(i => i.ItemId), events.Select(e => e.ItemId));
        Assert.All(events, e => Assert.True(ImpressionEvents.TryRead(e, out var impression) && impression.RecommendationId == served.List.RecommendationId));
        Assert.Equal(0, await _shop.Events.ReadAllAsync(cancellationToken: Cancel).CountAsync(e => e.Type == EventType.Impression, Cancel));
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.IsType<IOException>(warning.Exception);
        Assert.DoesNotContain(served.Request.UserId, warning.Message, StringComparison.Ordinal);
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

    private sealed class FailingEventStore : IEventStore
    {
        public Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default) => throw new IOException("down");

        public IAsyncEnumerable<BehaviorEvent> ReadUserEventsAsync(string userId, DateTimeOffset? since = null, CancellationToken cancellationToken = default) => throw new IOException("down");

        public IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<long> CountAsync(CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) => throw new IOException("down");

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("down");
    }
}
