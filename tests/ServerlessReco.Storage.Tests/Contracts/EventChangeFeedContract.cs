using ServerlessReco.Core.Events;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IEventChangeFeed"/> must do, run against SQLite and the Cosmos test server: read everything,
/// then only what was stored since a saved position, from a fresh reader each time (as a retrain on another instance
/// would), never an erased or duplicate event, and rows as stored (pseudonyms behind the pseudonymising door).
/// </summary>
public abstract class EventChangeFeedContract
{
    /// <summary>A fresh, empty store that is also its own change feed.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static IEventChangeFeed Feed(IEventStore store) => (IEventChangeFeed)store;

    /// <summary>Every event after <paramref name="position"/>, reading pages of <paramref name="pageSize"/> until an empty one.</summary>
    private static async Task<(List<BehaviorEvent> Events, string? Position)> DrainAsync(IEventChangeFeed feed, string? position, int pageSize = 100)
    {
        var events = new List<BehaviorEvent>();
        while (true)
        {
            var page = await feed.ReadChangesAsync(position, pageSize, Cancel);
            position = page.Position ?? position;
            if (page.Events.Count == 0)
            {
                return (events, position);
            }

            events.AddRange(page.Events);
        }
    }

    [Fact]
    public async Task TheFeedReadsEverythingThenOnlyWhatWasStoredSince()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u2", "i2", "e2"), Event("u1", "i3", "e3")], Cancel);

        var (first, saved) = await DrainAsync(Feed(store), null);
        await store.AppendAsync([Event("u3", "i1", "e4"), Event("u1", "i2", "e5")], Cancel);
        var (second, next) = await DrainAsync(Feed(store), saved);
        var (third, _) = await DrainAsync(Feed(store), next);

        Assert.Equal(["e1", "e2", "e3"], first.Select(e => e.EventId).Order());
        Assert.Equal(["e4", "e5"], second.Select(e => e.EventId).Order());
        Assert.Empty(third);
    }

    [Fact]
    public async Task ASavedPositionResumesWherePagesLeftOffWithNothingTwiceAndNothingLost()
    {
        var store = await CreateStoreAsync();
        var stored = Enumerable.Range(0, 7).Select(i => Event($"u{i % 3}", $"i{i}", $"e{i}")).ToList();
        await store.AppendAsync(stored, Cancel);

        var seen = new List<string>();
        string? position = null;
        for (var read = 0; read < 20; read++)
        {
            var page = await Feed(store).ReadChangesAsync(position, 2, Cancel); // a new reader from the saved position every time
            position = page.Position;
            if (page.Events.Count == 0)
            {
                break;
            }

            Assert.True(page.Events.Count <= 2, $"a page of {page.Events.Count} events, 2 asked for");
            seen.AddRange(page.Events.Select(e => e.EventId));
        }

        Assert.Equal(stored.Select(e => e.EventId).Order(), seen.Order());
    }

    [Fact]
    public async Task EveryFieldTrainingReadsSurvivesTheFeed()
    {
        var store = await CreateStoreAsync();
        var rating = Event("u1", "i1", "e1", type: EventType.Rating) with { Value = 4.5 };
        await store.AppendAsync([rating], Cancel);

        var read = Assert.Single((await DrainAsync(Feed(store), null)).Events);

        Assert.Equal((rating.UserId, rating.ItemId, rating.EventId, rating.Type, rating.Value), (read.UserId, read.ItemId, read.EventId, read.Type, read.Value));
        Assert.Equal(rating.Timestamp, read.Timestamp);
    }

    [Fact]
    public async Task DuplicatesAndErasedEventsAreNotReported()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u2", "i1", "e2")], Cancel);
        var (_, saved) = await DrainAsync(Feed(store), null);

        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u2", "i2", "e3")], Cancel);
        await store.DeleteUserEventsAsync("u1", Cancel);

        Assert.Equal(["e3"], (await DrainAsync(Feed(store), saved)).Events.Select(e => e.EventId));
        Assert.Equal(["e2", "e3"], (await DrainAsync(Feed(store), null)).Events.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task BehindThePseudonymisingDoorTheFeedHoldsPseudonymsOnly()
    {
        var pseudonyms = new UserPseudonymiser(Enumerable.Repeat((byte)0x5C, 32).ToArray());
        var store = new PseudonymisingEventStore(await CreateStoreAsync(), pseudonyms);
        await store.AppendAsync([Event("jane@example.com", "i1", "e1")], Cancel);

        var read = Assert.Single((await DrainAsync(store, null)).Events);

        Assert.Equal(pseudonyms.Pseudonymise("jane@example.com"), read.UserId);
    }
}
