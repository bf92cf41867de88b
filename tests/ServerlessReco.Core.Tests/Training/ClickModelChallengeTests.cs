using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Training;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Training;

/// <summary>
/// The click model's second judge: the recall hold-out's lists, served as the version would serve them, with the click
/// model re-ranking the candidates and without. A click model that pulls items the recall model ranks low over what
/// shoppers take next does not serve, even when the off-policy gate (which sees only the slots shown) let it; one that
/// keeps the recall model's best at the head serves.
/// </summary>
public class ClickModelChallengeTests
{
    private const int Groups = 4;
    private const int GroupItems = 5;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ClickModelDecision PassedOffPolicy = new(true, true, "not below the logged ranking on 40 held-out lists");

    [Fact]
    public async Task AClickModelThatPullsOtherGroupsItemsOverWhatShoppersTakeNextDoesNotServeAndSaysByHowMuch()
    {
        // Every shopper viewed three of their group's five items and takes the other two next; the recall model ranks
        // those two first. The click model favours group 1's items, which it puts at the head of every other group's lists.
        var shop = Shop();
        var options = new RetrainOptions();
        var lists = await ListsAsync(shop, options);
        var model = HandBuiltClickModels.Favouring(Items(1), lists.Now);

        var decision = ClickModelChallenge.Decide(PassedOffPolicy, ClickModelChallenge.Compare(lists, shop.Catalogue, model, null, TestContext.Current.CancellationToken), options);

        Assert.False(decision.Serves, decision.Reason);
        Assert.True(decision.Trained);
        var c = decision.HoldOut!;
        Assert.Equal(Groups * 30, c.Users);
        Assert.True(c.Upper < c.Floor, $"interval {c.Lower}..{c.Upper}, floor {c.Floor}");
        Assert.True(decision.NdcgWithoutClickModel > 0.9, $"without {decision.NdcgWithoutClickModel}"); // the two taken next head every list
        Assert.True(decision.NdcgWithClickModel < decision.NdcgWithoutClickModel - 0.3, $"with {decision.NdcgWithClickModel}");
        Assert.StartsWith($"{PassedOffPolicy.Reason}, but it lowered the recall hold-out's lists: nDCG@10 {decision.NdcgWithClickModel:F4} with it, {decision.NdcgWithoutClickModel:F4} without", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClickModelThatKeepsWhatShoppersTakeNextAtTheHeadServesWithTheFigures()
    {
        // It favours every group's items alike: its equal predictions keep the recall order.
        var shop = Shop();
        var options = new RetrainOptions();
        var lists = await ListsAsync(shop, options);
        var model = HandBuiltClickModels.Favouring(AllItems, lists.Now);

        var decision = ClickModelChallenge.Decide(PassedOffPolicy, ClickModelChallenge.Compare(lists, shop.Catalogue, model, null, TestContext.Current.CancellationToken), options);

        Assert.True(decision.Serves, decision.Reason);
        Assert.Equal(decision.NdcgWithoutClickModel!.Value, decision.NdcgWithClickModel!.Value, 9);
        Assert.Contains("; on the recall hold-out's lists nDCG@10", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClickModelTheOffPolicyGateRejectedStaysOutWhateverTheHoldOutSays()
    {
        var shop = Shop();
        var options = new RetrainOptions();
        var lists = await ListsAsync(shop, options);
        var rejected = PassedOffPolicy with { Serves = false, Reason = "below the logged ranking" };

        var decision = ClickModelChallenge.Decide(rejected, ClickModelChallenge.Compare(lists, shop.Catalogue, HandBuiltClickModels.Favouring(AllItems, lists.Now), null, TestContext.Current.CancellationToken), options);

        Assert.False(decision.Serves);
        Assert.True(decision.HoldOut!.NotWorse);
    }

    private static IEnumerable<string> AllItems => Enumerable.Range(0, Groups).SelectMany(Items);

    private static IEnumerable<string> Items(int group) => Enumerable.Range(0, GroupItems).Select(i => $"k{group}-{i}");

    private static async Task<HoldOutLists> ListsAsync(ChallengeShop shop, RetrainOptions options)
    {
        var cancel = TestContext.Current.CancellationToken;
        var fitted = Trainer.Train(shop.HoldOut.Train, options.Trainer with { Model = ModelKind.Ease }, cancellationToken: cancel);
        var histories = await HoldOutHistories.ReadAsync(
            shop.Events.ToAsyncEnumerable(), shop.HoldOut.HeldOut, HoldOutLists.UsersOf(shop.HoldOut), options.Serving.MaxRecentEvents, cancel);
        return new HoldOutLists(shop.HoldOut, fitted, histories, null, options);
    }

    private sealed record ChallengeShop(HoldOut HoldOut, List<BehaviorEvent> Events, List<CatalogItem> Catalogue);

    private static ChallengeShop Shop()
    {
        var events = new List<BehaviorEvent>();
        var heldOut = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        int[][] triples = [.. ContentChallengeTests.Subsets()];
        for (var g = 0; g < Groups; g++)
        {
            for (var u = 0; u < 30; u++)
            {
                var user = $"u{g}-{u}";
                var viewed = triples[u % triples.Length];
                foreach (var i in viewed)
                {
                    events.Add(new BehaviorEvent { EventId = $"e{events.Count}", UserId = user, ItemId = $"k{g}-{i}", Type = EventType.View, Timestamp = Start.AddMinutes(events.Count) });
                }

                heldOut[user] = new HashSet<string>(Enumerable.Range(0, GroupItems).Except(viewed).Select(i => $"k{g}-{i}"), StringComparer.Ordinal);
            }
        }

        var builder = new InteractionMatrixBuilder(new TrainingOptions());
        events.ForEach(builder.Add);
        List<CatalogItem> catalogue = [.. AllItems.Select(id => new CatalogItem { ItemId = id, Title = id })];
        return new ChallengeShop(new HoldOut(builder.Build(), heldOut), events, catalogue);
    }
}
