using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>
/// What the pseudonymising door guarantees over every real event store: the store holds pseudonyms only,
/// keyed (another key, other ids; the same key, the same ids), and lookups and erasures by the raw id still work.
/// </summary>
public abstract class PseudonymisedEventStoreContract
{
    private const string RawUserId = "Jane.Doe+shop@example.com";

    private static readonly UserPseudonymiser KeyA = new(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    private static readonly UserPseudonymiser KeyB = new(Enumerable.Repeat((byte)0xB2, 32).ToArray());

    /// <summary>A store of its own (a fresh database, file or container), with nothing in front of it.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>An event as the parser makes it when the client sends no id: the id derived from the raw content.</summary>
    private static BehaviorEvent WithDerivedId(string userId, string itemId)
    {
        var e = Event(userId, itemId, "");
        return e with { EventId = EventIdentity.FromContent(e) };
    }

    private static async Task<List<BehaviorEvent>> AllAsync(IEventStore store)
    {
        var all = new List<BehaviorEvent>();
        await foreach (var e in store.ReadAllAsync(cancellationToken: Cancel))
        {
            all.Add(e);
        }

        return all;
    }

    private async Task<List<BehaviorEvent>> StoredUnderAsync(UserPseudonymiser key)
    {
        var inner = await CreateStoreAsync();
        await new PseudonymisingEventStore(inner, key).AppendAsync(
            [WithDerivedId(RawUserId, "i1"), Event(RawUserId, "i2", "client-id-1"), WithDerivedId("someone-else", "i1")], Cancel);
        return [.. (await AllAsync(inner)).OrderBy(e => e.ItemId).ThenBy(e => e.UserId, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task TheStoreHoldsPseudonymsAndNoIdDerivedFromTheRawId()
    {
        var stored = await StoredUnderAsync(KeyA);

        Assert.Equal(3, stored.Count);
        Assert.All(stored, e => Assert.StartsWith(UserPseudonymiser.Prefix, e.UserId, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, e => e.UserId == RawUserId || e.EventId.Contains(RawUserId, StringComparison.Ordinal));
        // The unkeyed content hash of the raw id is recomputable by anyone who guesses the id: it must not be stored.
        Assert.DoesNotContain(stored, e => e.EventId == WithDerivedId(RawUserId, "i1").EventId);
        Assert.Contains(stored, e => e.EventId == "client-id-1" && e.UserId == KeyA.Pseudonymise(RawUserId));
    }

    [Fact]
    public async Task TwoKeysGiveDifferentStoredIdsAndOneKeyTheSame()
    {
        var underA = await StoredUnderAsync(KeyA);
        var underAAgain = await StoredUnderAsync(KeyA);
        var underB = await StoredUnderAsync(KeyB);

        Assert.Equal(underA.Select(e => (e.UserId, e.EventId)), underAAgain.Select(e => (e.UserId, e.EventId)));
        Assert.Empty(underA.Select(e => e.UserId).Intersect(underB.Select(e => e.UserId)));
        Assert.Empty(underA.Where(e => e.EventId.StartsWith(EventIdentity.DerivedPrefix, StringComparison.Ordinal)).Select(e => e.EventId)
            .Intersect(underB.Select(e => e.EventId)));
    }

    [Fact]
    public async Task TheSameEventWithoutAnIdIsStillStoredOnce()
    {
        var store = new PseudonymisingEventStore(await CreateStoreAsync(), KeyA);
        var e = WithDerivedId(RawUserId, "i1");

        var first = await store.AppendAsync([e, e], Cancel);
        var again = await store.AppendAsync([e], Cancel);

        Assert.Equal(new AppendResult(1, 1), first);
        Assert.Equal(new AppendResult(0, 1), again);
        Assert.Equal(1, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task ReadsAndErasuresByTheRawIdFindThePseudonymisedEvents()
    {
        var inner = await CreateStoreAsync();
        var store = new PseudonymisingEventStore(inner, KeyA);
        await store.AppendAsync([Event(RawUserId, "i1", "e1"), Event(RawUserId, "i2", "e2"), Event("someone-else", "i1", "e3")], Cancel);

        var theirs = new List<BehaviorEvent>();
        await foreach (var e in store.ReadUserHistoryAsync(RawUserId, 1000, Cancel))
        {
            theirs.Add(e);
        }

        Assert.Equal(["e1", "e2"], theirs.Select(e => e.EventId).Order());
        Assert.Equal(2, await store.DeleteUserEventsAsync(RawUserId, Cancel));
        Assert.Equal(["e3"], (await AllAsync(inner)).Select(e => e.EventId));
        Assert.Equal(0, await store.DeleteUserEventsAsync(RawUserId, Cancel));
    }

    [Fact]
    public async Task ABodyWithoutIdsOrTimestampsPostedAgainIsStoredOnceUnderIdsKeyedWithThePseudonym()
    {
        var inner = await CreateStoreAsync();
        var store = new PseudonymisingEventStore(inner, KeyA);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var parser = new EventParser(clock, new RetentionPolicy(30));
        var body = System.Text.Encoding.UTF8.GetBytes($$"""[{"userId":"{{RawUserId}}","itemId":"i1","type":"view"},{"userId":"{{RawUserId}}","itemId":"i1","type":"view"}]""");
        var sent = parser.ParseBatch(body).Elements;

        var first = await store.AppendAsync(sent, Cancel);
        clock.Advance(TimeSpan.FromMinutes(2));
        var retry = await store.AppendAsync(parser.ParseBatch(body).Elements, Cancel);

        Assert.Equal(new AppendResult(2, 0), first); // two views in one body are two views
        Assert.Equal(new AppendResult(0, 2), retry);
        var stored = await AllAsync(inner);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, e => Assert.StartsWith(EventIdentity.PositionalPrefix, e.EventId, StringComparison.Ordinal));
        Assert.Empty(stored.Select(e => e.EventId).Intersect(sent.Select(e => e.EventId))); // the body's hash holds the raw id
    }
}
