using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Core.Tests.Training;

/// <summary>
/// Content earns its place on the hold-out lists as serving would serve them: kept when the items its vectors point at
/// are what users take next, left out with the figures when its (informative) vectors push what users take out of the
/// lists.
/// </summary>
public class ContentChallengeTests
{
    private const int Groups = 4;
    private const int GroupItems = 5;
    private const int NewItems = 3;
    private static readonly int[][] Triples = [.. Subsets()];
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TextsThatPredictWhatUsersTakeNextAreUsed()
    {
        // Each user viewed three of their group's five items; what they take next are the group's new items, which the
        // model has never seen and whose vectors point the way of the group's. The model has only the group's other two
        // to offer (nothing else scores above 0), so serving fills the list with content, then trending.
        var shop = Shop(heldOutIsNew: true, vectorsFollowGroups: true, bestSellerBuyers: 0);

        var decision = await DecideAsync(shop);

        Assert.True(decision.Used, decision.Reason);
        Assert.Equal(0, decision.NdcgWithoutContent);
        Assert.True(decision.NdcgWithContent > 0.3, $"with content {decision.NdcgWithContent}");
        Assert.True(decision.Comparison!.Lower > 0, decision.Reason);
        Assert.Equal(Groups * 30, decision.Comparison.Users);
        Assert.StartsWith($"{shop.Vectors.Items.Count} items with informative texts have content vectors; on the hold-out", decision.Reason, StringComparison.Ordinal);
        Assert.Contains($"nDCG@10 {decision.NdcgWithContent:F4} with content, 0.0000 without", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InformativeTextsUnrelatedToWhatUsersTakeAreNotUsedAndTheReasonSaysByHowMuch()
    {
        // What every user takes next is the shop's best seller, bought by forty one-item shoppers: the model cannot score
        // it for anyone (it co-occurs with nothing), serving's trending fill lists it third. The new items' vectors are
        // words that say something, but nothing about what users take: served after the model's two, they fill the list
        // and push the best seller out.
        var shop = Shop(heldOutIsNew: false, vectorsFollowGroups: false, bestSellerBuyers: 40);

        var decision = await DecideAsync(shop);

        Assert.False(decision.Used, decision.Reason);
        var c = decision.Comparison!;
        Assert.True(c.Upper < c.Floor, $"interval {c.Lower}..{c.Upper}, floor {c.Floor}");
        Assert.Equal(0.5, decision.NdcgWithoutContent!.Value, 6); // the best seller third in every list: 1 / log2(4)
        Assert.True(decision.NdcgWithContent < decision.NdcgWithoutContent);
        Assert.StartsWith($"content lowered nDCG@10 on the hold-out: {c.Difference:+0.0000;-0.0000;0.0000} ± {1.96 * c.StandardError:F4}", decision.Reason, StringComparison.Ordinal);
        Assert.Contains($"{decision.NdcgWithContent:F4} with content, {decision.NdcgWithoutContent:F4} without", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHoldOutHistoriesLeaveOutEveryEventOfAHeldOutItemAndKeepTheNewestServingReads()
    {
        BehaviorEvent View(string item, int minute) => new() { EventId = $"{item}-{minute}", UserId = "u", ItemId = item, Type = EventType.View, Timestamp = Start.AddMinutes(minute) };
        BehaviorEvent[] events = [View("a", 3), View("held", 1), View("b", 2), View("c", 0), View("held", 4), View("d", 5) with { Type = EventType.Impression }];
        var heldOut = new Dictionary<string, IReadOnlySet<string>> { ["u"] = new HashSet<string>(["held"]) };

        var histories = await HoldOutHistories.ReadAsync(events.ToAsyncEnumerable(), heldOut, ["u", "absent"], 2, TestContext.Current.CancellationToken);

        Assert.Equal(["b", "a"], histories["u"].Select(e => e.ItemId)); // oldest first, the newest two, no impression
        Assert.Empty(histories["absent"]);
    }

    private static async Task<ContentDecision> DecideAsync(ChallengeShop shop)
    {
        var cancel = TestContext.Current.CancellationToken;
        var options = new RetrainOptions();
        var fitted = Trainer.Train(shop.HoldOut.Train, options.Trainer with { Model = ModelKind.Ease }, cancellationToken: cancel);
        var histories = await HoldOutHistories.ReadAsync(
            shop.Events.ToAsyncEnumerable(), shop.HoldOut.HeldOut, HoldOutLists.UsersOf(shop.HoldOut), options.Serving.MaxRecentEvents, cancel);
        var built = new ContentBuild(shop.Vectors, shop.Vectors.Items.Count, shop.Vectors.Items.Count, 0, 0) { Catalogue = shop.Catalogue };
        return ContentChallenge.Decide(new HoldOutLists(shop.HoldOut, fitted, histories, null, options), built, options, cancel);
    }

    private sealed record ChallengeShop(HoldOut HoldOut, List<BehaviorEvent> Events, ContentEmbeddings Vectors, List<CatalogItem> Catalogue);

    private static ChallengeShop Shop(bool heldOutIsNew, bool vectorsFollowGroups, int bestSellerBuyers)
    {
        var events = new List<BehaviorEvent>();
        var heldOut = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        void Add(string user, string item) => events.Add(new BehaviorEvent
        {
            EventId = $"e{events.Count}", UserId = user, ItemId = item, Type = EventType.View, Timestamp = Start.AddMinutes(events.Count),
        });

        for (var g = 0; g < Groups; g++)
        {
            for (var u = 0; u < 30; u++)
            {
                var user = $"u{g}-{u}";
                foreach (var i in Triples[u % Triples.Length])
                {
                    Add(user, $"k{g}-{i}");
                }

                heldOut[user] = heldOutIsNew
                    ? new HashSet<string>(Enumerable.Range(0, NewItems).Select(n => $"n{g}-{n}"), StringComparer.Ordinal)
                    : new HashSet<string>(["best"], StringComparer.Ordinal);
            }
        }

        for (var b = 0; b < bestSellerBuyers; b++)
        {
            Add($"b{b}", "best");
        }

        var builder = new InteractionMatrixBuilder(new TrainingOptions());
        events.ForEach(builder.Add);
        var (ids, vectors) = Vectors(vectorsFollowGroups);
        List<CatalogItem> catalogue = [.. ids.Append("best").Select(id => new CatalogItem { ItemId = id, Title = id })];
        return new ChallengeShop(new HoldOut(builder.Build(), heldOut), events, ContentEmbeddings.Build(ids, vectors, new ContentOptions()), catalogue);
    }

    /// <summary>A vector for every known and new item: the group's direction with a little noise, or noise around one word every text shares.</summary>
    private static (List<string> Ids, List<float[]> Vectors) Vectors(bool followGroups)
    {
        var random = new Random(21);
        var (ids, list) = (new List<string>(), new List<float[]>());
        for (var g = 0; g < Groups; g++)
        {
            foreach (var id in Enumerable.Range(0, GroupItems).Select(i => $"k{g}-{i}").Concat(Enumerable.Range(0, NewItems).Select(n => $"n{g}-{n}")))
            {
                var v = new float[16];
                for (var d = 0; d < v.Length; d++)
                {
                    v[d] = (float)(random.NextDouble() - 0.5) * (followGroups ? 0.2f : 1f);
                }

                // The group's direction, or one word every text shares: cosines stay positive, so content always has items to offer.
                v[followGroups ? g : 15] += followGroups ? 1 : 0.5f;
                ids.Add(id);
                list.Add(v);
            }
        }

        return (ids, list);
    }

    /// <summary>The ten 3-item subsets of a group's five items.</summary>
    internal static IEnumerable<int[]> Subsets()
    {
        for (var a = 0; a < GroupItems; a++)
        {
            for (var b = a + 1; b < GroupItems; b++)
            {
                for (var c = b + 1; c < GroupItems; c++)
                {
                    yield return [a, b, c];
                }
            }
        }
    }
}
