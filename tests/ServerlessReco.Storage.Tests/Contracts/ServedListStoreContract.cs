using System.Text.Json.Nodes;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>What every served-list store must do, run against each implementation (SQLite, Cosmos DB test server).</summary>
public abstract class ServedListStoreContract
{
    protected abstract Task<IServedListStore> CreateStoreAsync(RetentionPolicy retention);

    /// <summary>
    /// Writes <paramref name="list"/> into <paramref name="store"/>'s database as the store wrote lists before slots
    /// carried a propensity standard error: its stored JSON without that field (<see cref="WithoutStandardErrors"/>).
    /// </summary>
    protected abstract Task AppendAsStoredBeforeStandardErrorsAsync(IServedListStore store, ServedListRecord list);

    /// <summary>A stored list's JSON with the slots' <c>propensityStandardError</c> removed, as older versions wrote it.</summary>
    protected static JsonObject WithoutStandardErrors(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var slot in stored["slots"]!.AsArray())
        {
            slot!.AsObject().Remove("propensityStandardError");
        }

        return stored;
    }

    private Task<IServedListStore> CreateStoreAsync() => CreateStoreAsync(new RetentionPolicy(30));

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected static ServedListRecord List(string user, string id, TimeSpan? age = null, bool anonymous = false) => new(
        id, user, Now - (age ?? TimeSpan.FromMinutes(1)), "epsilon-greedy(0.1)", 0.1, 3, 40, 2,
        [
            new ServedListSlot("i1", SlotKind.Exploit, 0.9, 0, false),
            new ServedListSlot("i 2/odd?", SlotKind.Explore, 0.0125, 17, true, 0.25, PropensityStandardError: 0.0007, Score: 0.4375, Source: ReasonKind.Content),
            new ServedListSlot("new-1", SlotKind.Exploit, 1, -1, true),
        ],
        "s-1", "v20261130", anonymous);

    private static Task<List<ServedListRecord>> AllAsync(IServedListStore store) =>
        store.ReadAsync(Now - TimeSpan.FromDays(400), null, Cancel).ToListAsync(Cancel).AsTask();

    [Fact]
    public async Task EveryFieldOfAListAndItsSlotsSurvivesTheRoundTrip()
    {
        var store = await CreateStoreAsync();
        var original = List("user/with?odd#chars\\", "rec-1", anonymous: true);

        await store.AppendAsync(original, Cancel);

        var read = Assert.Single(await AllAsync(store));
        Assert.Equal(original with { Slots = [] }, read with { Slots = [] });
        Assert.Equal(original.Slots, read.Slots);
    }

    [Fact]
    public async Task AListStoredBeforeSlotsCarriedAStandardErrorReadsWithEveryPropensityExact()
    {
        var store = await CreateStoreAsync();
        var original = List("u1", "rec-old");

        await AppendAsStoredBeforeStandardErrorsAsync(store, original);

        var read = Assert.Single(await AllAsync(store));
        Assert.All(read.Slots, s => Assert.Equal(0, s.PropensityStandardError));
        Assert.Equal(original.Slots.Select(s => s with { PropensityStandardError = 0 }), read.Slots);
        Assert.Equal(original with { Slots = [] }, read with { Slots = [] });
    }

    [Fact]
    public async Task WritingAListTwiceStoresItOnce()
    {
        var store = await CreateStoreAsync();

        await store.AppendAsync(List("u1", "rec-1"), Cancel);
        await store.AppendAsync(List("u1", "rec-1"), Cancel);

        Assert.Single(await AllAsync(store));
    }

    [Fact]
    public async Task ReadingHonoursItsTimeWindow()
    {
        var store = await CreateStoreAsync();
        foreach (var (id, days) in new[] { ("a", 3), ("b", 2), ("c", 1) })
        {
            await store.AppendAsync(List("u-" + id, id, TimeSpan.FromDays(days)), Cancel);
        }

        var window = await store.ReadAsync(Now - TimeSpan.FromDays(2), Now - TimeSpan.FromDays(1), Cancel).ToListAsync(Cancel);
        var open = await store.ReadAsync(Now - TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1), null, Cancel).ToListAsync(Cancel);

        Assert.Equal(["b"], window.Select(l => l.ListId));
        Assert.Equal(["b", "c"], open.Select(l => l.ListId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheNewestReadComesNewestFirstWithinItsLimitAndWindow()
    {
        var store = await CreateStoreAsync();
        foreach (var (id, age) in new[] { ("old", TimeSpan.FromDays(3)), ("third", TimeSpan.FromHours(3)), ("newest", TimeSpan.FromMinutes(1)), ("second", TimeSpan.FromHours(1)) })
        {
            await store.AppendAsync(List("u-" + id, id, age), Cancel);
        }

        var newestTwo = await store.ReadNewestAsync(Now - TimeSpan.FromDays(1), 2, Cancel).ToListAsync(Cancel);
        var window = await store.ReadNewestAsync(Now - TimeSpan.FromDays(1), 10, Cancel).ToListAsync(Cancel);

        Assert.Equal(["newest", "second"], newestTwo.Select(l => l.ListId));
        Assert.Equal(["newest", "second", "third"], window.Select(l => l.ListId));
    }

    [Fact]
    public async Task OneUsersNewestReadHoldsTheirListsOnlyNewestFirstWithinItsLimitAndWindow()
    {
        var store = await CreateStoreAsync();
        foreach (var (user, id, age) in new[]
        {
            ("u1", "old", TimeSpan.FromDays(3)), ("u1", "third", TimeSpan.FromHours(3)), ("u2", "other", TimeSpan.FromSeconds(30)),
            ("u1", "newest", TimeSpan.FromMinutes(1)), ("u1", "second", TimeSpan.FromHours(1)), ("user/with?odd#chars\\", "odd", TimeSpan.FromMinutes(2)),
        })
        {
            await store.AppendAsync(List(user, id, age), Cancel);
        }

        var newestTwo = await store.ReadUserNewestAsync("u1", Now - TimeSpan.FromDays(1), 2, Cancel).ToListAsync(Cancel);
        var window = await store.ReadUserNewestAsync("u1", Now - TimeSpan.FromDays(1), 10, Cancel).ToListAsync(Cancel);
        var odd = await store.ReadUserNewestAsync("user/with?odd#chars\\", Now - TimeSpan.FromDays(1), 10, Cancel).ToListAsync(Cancel);

        Assert.Equal(["newest", "second"], newestTwo.Select(l => l.ListId));
        Assert.Equal(["newest", "second", "third"], window.Select(l => l.ListId));
        Assert.Equal(["odd"], odd.Select(l => l.ListId));
        Assert.Empty(await store.ReadUserNewestAsync("nobody", Now - TimeSpan.FromDays(1), 10, Cancel).ToListAsync(Cancel));
    }

    [Fact]
    public async Task ErasingAUserErasesTheirListsOnly()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync(List("u1", "rec-1"), Cancel);
        await store.AppendAsync(List("u1", "rec-2"), Cancel);
        await store.AppendAsync(List("u2", "rec-3"), Cancel);

        Assert.Equal(2, await store.DeleteUserListsAsync("u1", Cancel));

        Assert.Equal(["rec-3"], (await AllAsync(store)).Select(l => l.ListId));
        Assert.Equal(0, await store.DeleteUserListsAsync("u1", Cancel));
    }

    [Fact]
    public async Task ListsPastTheirRetentionPeriodExpire()
    {
        var store = await CreateStoreAsync(new RetentionPolicy(1));
        await store.AppendAsync(List("u1", "going", TimeSpan.FromDays(1) - TimeSpan.FromSeconds(2)), Cancel);
        await store.AppendAsync(List("u1", "staying"), Cancel);

        // Poll rather than sleep a fixed time: a database's own expiry runs on its own schedule.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        List<ServedListRecord> left;
        do
        {
            await Task.Delay(500, Cancel);
            await store.PurgeExpiredAsync(DateTimeOffset.UtcNow, Cancel);
            left = await AllAsync(store);
        }
        while (left.Count > 1 && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(["staying"], left.Select(l => l.ListId));
    }
}
