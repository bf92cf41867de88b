using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>What every <see cref="IEventStore"/> must do. Each implementation's test class derives from this.</summary>
public abstract class EventStoreContract
{
    /// <summary>A store of its own for one test (a fresh database, file or container).</summary>
    protected abstract Task<IEventStore> CreateStoreAsync(RetentionPolicy retention);

    private Task<IEventStore> CreateStoreAsync() => CreateStoreAsync(new RetentionPolicy(365));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendStoresNewEventsAndCountsThem()
    {
        var store = await CreateStoreAsync();
        var result = await store.AppendAsync([Event("u1", "i1", "e1"), Event("u1", "i2", "e2"), Event("u2", "i1", "e3")], Cancel);

        Assert.Equal(new AppendResult(3, 0), result);
        Assert.Equal(3, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task AppendingTheSameEventAgainStoresItOnce()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u1", "i2", "e2")], Cancel);

        var again = await store.AppendAsync([Event("u1", "i1", "e1"), Event("u1", "i3", "e3")], Cancel);

        Assert.Equal(new AppendResult(1, 1), again);
        Assert.Equal(3, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task DuplicatesWithinOneBatchAreStoredOnce()
    {
        var store = await CreateStoreAsync();
        var result = await store.AppendAsync([Event("u1", "i1", "e1"), Event("u1", "i1", "e1"), Event("u1", "i1", "e1")], Cancel);

        Assert.Equal(new AppendResult(1, 2), result);
        Assert.Equal(1, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task TheSameEventIdOfTwoUsersIsTwoEvents()
    {
        var store = await CreateStoreAsync();
        var result = await store.AppendAsync([Event("u1", "i1", "e1"), Event("u2", "i1", "e1")], Cancel);

        Assert.Equal(new AppendResult(2, 0), result);
    }

    [Fact]
    public async Task EveryFieldSurvivesTheRoundTrip()
    {
        var store = await CreateStoreAsync();
        var original = Event("user/with?odd#chars\\", "item 1", "id/with?odd#chars\\", type: EventType.Rating) with
        {
            Value = 4.5,
            SessionId = "s-1",
            RecommendationId = "r-1",
            Properties = new Dictionary<string, string> { ["page"] = "home", ["device"] = "phone" },
        };
        await store.AppendAsync([original], Cancel);

        var read = Assert.Single(await History(store, original.UserId));

        Assert.Equal(original.EventId, read.EventId);
        Assert.Equal(original.UserId, read.UserId);
        Assert.Equal(original.ItemId, read.ItemId);
        Assert.Equal(original.Type, read.Type);
        Assert.Equal(original.Value, read.Value);
        Assert.Equal(original.Timestamp, read.Timestamp);
        Assert.Equal(original.SessionId, read.SessionId);
        Assert.Equal(original.RecommendationId, read.RecommendationId);
        Assert.Equal(original.Properties.OrderBy(p => p.Key), read.Properties.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task EveryEventTypeSurvivesTheRoundTrip()
    {
        var store = await CreateStoreAsync();
        var user = Unique("types");
        var types = Enum.GetValues<EventType>().Where(t => t != EventType.Impression).ToList();
        await store.AppendAsync(types.Select((t, i) => Event(user, $"i{i}", $"e{i}", TimeSpan.FromMinutes(types.Count - i), t)).ToList(), Cancel);

        var read = await History(store, user);

        Assert.Equal(types, read.AsEnumerable().Reverse().Select(e => e.Type));
        Assert.Contains(EventType.Favorite, read.Select(e => e.Type));
    }

    [Fact]
    public async Task AUsersHistoryComesNewestFirstAndOnlyTheirs()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync(
        [
            Event("u1", "i3", "e3", TimeSpan.FromMinutes(1)),
            Event("u2", "i9", "e9", TimeSpan.FromMinutes(2)),
            Event("u1", "i1", "e1", TimeSpan.FromMinutes(30)),
            Event("u1", "i2", "e2", TimeSpan.FromMinutes(20)),
        ], Cancel);

        var events = await History(store, "u1");

        Assert.Equal(["i3", "i2", "i1"], events.Select(e => e.ItemId));
        Assert.Empty(await History(store, "nobody"));
    }

    [Fact]
    public async Task AUsersHistoryIsTheirNewestBehaviourEventsHoweverOld()
    {
        var store = await CreateStoreAsync(RetentionPolicy.Forever);
        await store.AppendAsync(
        [
            Event("u1", "two-years-ago", "e1", TimeSpan.FromDays(730)),
            Event("u1", "a-year-ago", "e2", TimeSpan.FromDays(365)),
            Event("u1", "last-month", "e3", TimeSpan.FromDays(30)),
            Event("u1", "shown-yesterday", "e4", TimeSpan.FromDays(1), EventType.Impression),
            Event("u1", "shown-today", "e5", TimeSpan.FromMinutes(5), EventType.Impression),
        ], Cancel);

        var newestTwo = await ToListAsync(store.ReadUserHistoryAsync("u1", 2, Cancel));
        var all = await History(store, "u1");

        Assert.Equal(["last-month", "a-year-ago"], newestTwo.Select(e => e.ItemId));
        Assert.Equal(["last-month", "a-year-ago", "two-years-ago"], all.Select(e => e.ItemId));
    }

    [Fact]
    public async Task TheNewestReadComesNewestFirstWithinItsLimitAndWindowWithoutImpressions()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync(
        [
            Event("u1", "oldest", "e1", TimeSpan.FromDays(4)),
            Event("u2", "third", "e2", TimeSpan.FromHours(3)),
            Event("u3", "newest", "e3", TimeSpan.FromMinutes(1)),
            Event("u1", "shown", "e4", TimeSpan.FromSeconds(30), EventType.Impression),
            Event("u2", "second", "e5", TimeSpan.FromHours(2)),
            Event("u3", "fourth", "e6", TimeSpan.FromHours(4)),
        ], Cancel);

        var newestTwo = await ToListAsync(store.ReadNewestAsync(Now - TimeSpan.FromDays(1), 2, Cancel));
        var window = await ToListAsync(store.ReadNewestAsync(Now - TimeSpan.FromDays(1), 100, Cancel));

        Assert.Equal(["newest", "second"], newestTwo.Select(e => e.ItemId));
        Assert.Equal(["newest", "second", "third", "fourth"], window.Select(e => e.ItemId));
    }

    [Fact]
    public async Task ReadAllHonoursItsTimeWindow()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync(
        [
            Event("u1", "a", "e1", TimeSpan.FromDays(3)),
            Event("u2", "b", "e2", TimeSpan.FromDays(2)),
            Event("u3", "c", "e3", TimeSpan.FromDays(1)),
        ], Cancel);

        var all = await ToListAsync(store.ReadAllAsync(null, null, Cancel));
        var window = await ToListAsync(store.ReadAllAsync(Now - TimeSpan.FromDays(2), Now - TimeSpan.FromDays(1), Cancel));

        Assert.Equal(["a", "b", "c"], all.Select(e => e.ItemId).Order());
        Assert.Equal(["b"], window.Select(e => e.ItemId));
    }

    [Fact]
    public async Task DeletingAUserErasesTheirEventsOnly()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u1", "i2", "e2"), Event("u2", "i1", "e3")], Cancel);

        var erased = await store.DeleteUserEventsAsync("u1", Cancel);

        Assert.Equal(2, erased);
        Assert.Empty(await History(store, "u1"));
        Assert.Single(await History(store, "u2"));
        Assert.Equal(0, await store.DeleteUserEventsAsync("u1", Cancel));
    }

    [Fact]
    public async Task ADeletedEventCanBeRecordedAgain()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Event("u1", "i1", "e1")], Cancel);
        await store.DeleteUserEventsAsync("u1", Cancel);

        Assert.Equal(new AppendResult(1, 0), await store.AppendAsync([Event("u1", "i1", "e1")], Cancel));
    }

    [Fact]
    public async Task EventsPastTheRetentionPeriodExpire()
    {
        var retention = new RetentionPolicy(1);
        var store = await CreateStoreAsync(retention);
        var almostExpired = TimeSpan.FromDays(1) - TimeSpan.FromSeconds(2);
        await store.AppendAsync([Event("u1", "going", "e1", almostExpired), Event("u1", "staying", "e2")], Cancel);

        // Poll rather than sleep a fixed time: a database's own expiry runs on its own schedule.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        List<BehaviorEvent> left;
        do
        {
            await Task.Delay(500, Cancel);
            await store.PurgeExpiredAsync(DateTimeOffset.UtcNow, Cancel);
            left = await History(store, "u1");
        }
        while (left.Count > 1 && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(["staying"], left.Select(e => e.ItemId));
    }

    [Fact]
    public async Task ALargeBatchIsStoredWhole()
    {
        var store = await CreateStoreAsync();
        var batch = Enumerable.Range(0, IngestionLimits.MaxBatchSize)
            .Select(i => Event($"u{i % 37}", $"i{i % 101}", $"e{i}", TimeSpan.FromSeconds(i)))
            .ToList();

        Assert.Equal(new AppendResult(batch.Count, 0), await store.AppendAsync(batch, Cancel));
        Assert.Equal(batch.Count, await store.CountAsync(Cancel));
        Assert.Equal(batch.Count, (await ToListAsync(store.ReadAllAsync(null, null, Cancel))).Count);
    }

    /// <summary>A user's whole history as the store reads it (newest first).</summary>
    protected static Task<List<BehaviorEvent>> History(IEventStore store, string userId) => ToListAsync(store.ReadUserHistoryAsync(userId, 1000, Cancel));

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
