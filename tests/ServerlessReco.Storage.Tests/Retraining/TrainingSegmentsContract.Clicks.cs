using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// The click model's training rows, built by a real retrain from the served-list store and the events citing each list,
/// on the embedded store (SQLite, a folder) and on the emulators (the Cosmos test server, Azurite): one row per shown
/// slot with what the shopper did with it, anonymous lists left out, shop-posted impressions in when asked for, each
/// run reading only the lists served since the last, late outcomes labelling earlier rows, and an erased shopper's rows gone.
/// </summary>
public abstract partial class TrainingSegmentsContract
{
    private static readonly RetrainOptions WithShopImpressions = new() { ClickModel = new ClickModelOptions { ShopImpressions = true } };

    private static ServedListRecord ShownList(string listId, string user, DateTimeOffset servedAt, IReadOnlyList<string> items, bool anonymous = false) =>
        new(listId, Pseudonyms.Pseudonymise(user), servedAt, "uncertainty(0.1)", 0.1, items.Count, 20, 2,
            [.. items.Select((item, p) => new ServedListSlot(item, p == items.Count - 1 ? SlotKind.Explore : SlotKind.Exploit,
                p == items.Count - 1 ? 0.05 : 0.9, p, false, 1, 0, 1.0 - (0.1 * p), p == 0 ? ReasonKind.History : ReasonKind.Content))],
            Anonymous: anonymous);

    private static BehaviorEvent Cited(string id, string user, string item, EventType type, string list, DateTimeOffset at) =>
        new() { EventId = id, UserId = user, ItemId = item, Type = type, RecommendationId = list, Timestamp = at };

    /// <summary>Two shoppers with events in the window: rows are kept only for shoppers who did something there.</summary>
    private static (string A, string B) ActiveShoppers(SampleShopData shop)
    {
        var users = shop.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        return (users[2], users[3]);
    }

    private static Task<List<ClickRow>> ClickRowsAsync(SegmentStores stores) => new ClickLog(stores.Models).ReadAsync(null, Cancel);

    [Fact]
    public async Task EveryShownSlotIsARowLabelledWithWhatTheShopperDidFromItsList()
    {
        var (stores, shop) = await LoadShopAsync();
        var (a, b) = ActiveShoppers(shop);
        var items = shop.Items.Select(i => i.ItemId).ToList();
        var shownAt = _now.AddMinutes(-90);
        await stores.ServedLists.AppendAsync(ShownList("rec-a1", a, shownAt, items[..3]), Cancel);
        await stores.ServedLists.AppendAsync(ShownList("rec-b1", b, shownAt, items[3..5]), Cancel);
        await stores.ServedLists.AppendAsync(ShownList("rec-b2", b, shownAt, items[5..7], anonymous: true), Cancel);
        await stores.Events.AppendAsync(
        [
            Cited("c1", a, items[1], EventType.Click, "rec-a1", shownAt.AddMinutes(1)),
            Cited("c2", a, items[2], EventType.Purchase, "rec-a1", shownAt.AddMinutes(2)),
            Cited("c3", a, items[9], EventType.Click, "rec-a1", shownAt.AddMinutes(2)), // not shown in that list: no row earns it
            Cited("c4", b, items[5], EventType.Click, "rec-b2", shownAt.AddMinutes(1)), // an anonymous list feeds nothing
            Cited("s1", b, items[8], EventType.Impression, "shop-home-1", shownAt.AddMinutes(3)),
            Cited("s2", b, items[8], EventType.AddToCart, "shop-home-1", shownAt.AddMinutes(4)),
        ], Cancel);

        await Retrain(stores, options: WithShopImpressions).RunAsync(Cancel);
        var rows = await ClickRowsAsync(stores);

        var (pa, pb) = (Pseudonyms.Pseudonymise(a), Pseudonyms.Pseudonymise(b));
        Assert.Equal(["rec-a1", "rec-a1", "rec-a1", "rec-b1", "rec-b1", "shop-home-1"], rows.Select(r => r.ListId).Order(StringComparer.Ordinal));
        var ofA = rows.Where(r => r.ListId == "rec-a1").OrderBy(r => r.Position).ToList();
        Assert.All(ofA, r => Assert.Equal(pa, r.UserId));
        Assert.Equal([ClickOutcome.None, ClickOutcome.Clicked, ClickOutcome.Purchased], ofA.Select(r => r.Outcome));
        Assert.Equal([SlotKind.Exploit, SlotKind.Exploit, SlotKind.Explore], ofA.Select(r => r.Kind));
        Assert.Equal([0.9, 0.9, 0.05], ofA.Select(r => r.Propensity));
        Assert.Equal([1.0, 0.9, 0.8], ofA.Select(r => Math.Round(r.Score, 6)));
        Assert.Equal([ReasonKind.History, ReasonKind.Content, ReasonKind.Content], ofA.Select(r => r.Source!.Value));
        Assert.All(ofA, r => Assert.Equal(shownAt.ToUnixTimeMilliseconds(), r.ShownAt.ToUnixTimeMilliseconds()));
        Assert.All(rows.Where(r => r.ListId == "rec-b1"), r => Assert.Equal(ClickOutcome.None, r.Outcome));
        var shopRow = Assert.Single(rows, r => r.Origin == ClickRowOrigin.ShopImpression);
        Assert.Equal((pb, items[8], -1, ClickOutcome.Carted), (shopRow.UserId, shopRow.ItemId, shopRow.Position, shopRow.Outcome));
    }

    [Fact]
    public async Task ShopImpressionsAreNoRowsUnlessAskedFor()
    {
        var (stores, shop) = await LoadShopAsync();
        var user = shop.UserIds[0];
        await stores.Events.AppendAsync([Cited("s1", user, shop.Items[0].ItemId, EventType.Impression, "shop-home-1", _now.AddMinutes(-5))], Cancel);

        await Retrain(stores).RunAsync(Cancel);

        Assert.Empty(await ClickRowsAsync(stores));
    }

    [Fact]
    public async Task EachRunReadsTheServedListsOnceAndASecondRunAddsOnlyTheNewListsAndLabelsEarlierRowsWithLateClicks()
    {
        var (stores, shop) = await LoadShopAsync();
        var user = ActiveShoppers(shop).A;
        var items = shop.Items.Select(i => i.ItemId).ToList();
        await stores.ServedLists.AppendAsync(ShownList("rec-1", user, _now.AddMinutes(-60), items[..4]), Cancel);
        var counting = new CountingServedLists(stores.ServedLists);
        await Retrain(stores with { ServedLists = counting }).RunAsync(Cancel);
        var firstReads = counting.Reads;
        var firstRows = await ClickRowsAsync(stores);

        var later = DateTimeOffset.UtcNow;
        await stores.ServedLists.AppendAsync(ShownList("rec-2", user, later, items[4..6]), Cancel);
        await stores.Events.AppendAsync(
        [
            Cited("late", user, items[0], EventType.Click, "rec-1", later),
            Cited("elsewhere", user, items[4], EventType.Click, "rec-1", later), // rec-2's item, citing rec-1: no row earns it
        ], Cancel);
        await Task.Delay(20, Cancel); // the second run starts after the second list was served
        await Retrain(stores with { ServedLists = counting }).RunAsync(Cancel);

        // One read of the store a run: the exploration report's and the click rows' lists are the same read.
        Assert.Equal(1, firstReads);
        Assert.Equal(2, counting.Reads);
        Assert.Equal(["rec-1"], firstRows.Select(r => r.ListId).Distinct());
        Assert.All(firstRows, r => Assert.Equal(ClickOutcome.None, r.Outcome));

        // rec-1 was read again (it is in the window) but is not a new row twice: its four rows, relabelled by the late
        // click on its first slot only, and rec-2's two rows, which the click citing rec-1 does not touch.
        var rows = await ClickRowsAsync(stores);
        Assert.Equal(6, rows.Count);
        Assert.Equal(6, rows.Select(r => (r.ListId, r.Position)).Distinct().Count());
        Assert.Equal(
            [ClickOutcome.Clicked, ClickOutcome.None, ClickOutcome.None, ClickOutcome.None],
            rows.Where(r => r.ListId == "rec-1").OrderBy(r => r.Position).Select(r => r.Outcome));
        Assert.Equal(firstRows.Select(r => (r.ItemId, r.Position, r.Propensity)), rows.Where(r => r.ListId == "rec-1").Select(r => (r.ItemId, r.Position, r.Propensity)));
        Assert.Equal([items[4], items[5]], rows.Where(r => r.ListId == "rec-2").OrderBy(r => r.Position).Select(r => r.ItemId));
        Assert.All(rows.Where(r => r.ListId == "rec-2"), r => Assert.Equal(ClickOutcome.None, r.Outcome));
        Assert.Equal(2, await stores.Models.ListAsync(ClickLog.Prefix, Cancel).CountAsync(Cancel));
    }

    [Fact]
    public async Task AfterAnErasureAndARetrainTheShoppersRowsAreInNoFile()
    {
        var (stores, shop) = await LoadShopAsync();
        var active = shop.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var (erased, kept) = (active[0], active[1]);
        var items = shop.Items.Select(i => i.ItemId).ToList();
        await stores.ServedLists.AppendAsync(ShownList("rec-e", erased, _now.AddMinutes(-30), items[..3]), Cancel);
        await stores.ServedLists.AppendAsync(ShownList("rec-k", kept, _now.AddMinutes(-30), items[..3]), Cancel);
        await Retrain(stores).RunAsync(Cancel);
        Assert.Contains(await ClickRowsAsync(stores), r => r.UserId == Pseudonyms.Pseudonymise(erased));

        await new UserErasure(stores.Events, Pseudonyms, new ErasureLog(stores.Models, TimeProvider.System)).EraseAsync(erased, Cancel);
        var second = await Retrain(stores).RunAsync(Cancel);

        Assert.NotEqual(RetrainOutcome.Skipped, second.Outcome);
        var rows = await ClickRowsAsync(stores);
        Assert.DoesNotContain(rows, r => r.UserId == Pseudonyms.Pseudonymise(erased));
        Assert.Equal(3, rows.Count(r => r.UserId == Pseudonyms.Pseudonymise(kept)));
    }

    /// <summary>The real served-list store, counting how many reads of it were started.</summary>
    private sealed class CountingServedLists(IServedListStore inner) : IServedListStore
    {
        private int _reads;

        public int Reads => _reads;

        public Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default) => inner.AppendAsync(list, cancellationToken);

        public async IAsyncEnumerable<ServedListRecord> ReadAsync(
            DateTimeOffset from, DateTimeOffset? to = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            await foreach (var list in inner.ReadAsync(from, to, cancellationToken))
            {
                yield return list;
            }
        }

        public Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default) => inner.DeleteUserListsAsync(userId, cancellationToken);

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(now, cancellationToken);
    }
}
