using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>Through the real serving path into the served-list store: each stored slot carries its propensity's standard error, 0 when exact.</summary>
public sealed class PropensityStandardErrorServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    /// <summary>
    /// Serves 30 lists with <paramref name="options"/> and reads back what the served-list store holds. 30 catalogue
    /// items nobody touched fill the uncertainty policy's unknown pool, so each pool has more than two to draw.
    /// </summary>
    private async Task<List<ServedListRecord>> StoredListsAsync(ServingOptions options)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        await _shop.AddUntouchedItemsAsync(30);
        var service = _shop.Service(options);
        await service.RefreshAsync();
        for (var u = 0; u < 30; u++)
        {
            await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(u % 15)), Cancel);
        }

        return await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel);
    }

    [Fact]
    public async Task TheDefaultPolicyStoresEverySlotAsExact()
    {
        var slots = (await StoredListsAsync(new ServingOptions { Explore = 0.5 })).SelectMany(l => l.Slots).ToList();

        Assert.Contains(slots, s => s.Kind == SlotKind.Explore);
        Assert.All(slots, s => Assert.Equal(0, s.PropensityStandardError));
    }

    [Fact]
    public async Task ThompsonSlotsStoreTheBinomialStandardErrorOfTheirRunsScaledByTheirInclusion()
    {
        const int Samples = 300;
        // A pool of one next-best item: the long-tail sample is most of what Thompson can explore, so some lists show it.
        var options = new ServingOptions { ExplorationPolicy = ExplorationPolicies.Thompson, Explore = 1, ExplorationBudget = 10, ExplorationPool = 1, ThompsonSamples = Samples, NewArrivalSlots = 1 };
        var slots = (await StoredListsAsync(options)).SelectMany(l => l.Slots).ToList();

        foreach (var slot in slots)
        {
            if (slot.Rank < 0)
            {
                Assert.Equal(0, slot.PropensityStandardError);   // a new arrival is shown by rule: propensity 1, exact
                continue;
            }

            var estimate = slot.Propensity / slot.Inclusion;
            Assert.Equal(Math.Sqrt(estimate * (1 - estimate) / (Samples + 1)) * slot.Inclusion, slot.PropensityStandardError, 12);
            Assert.True(slot.PropensityStandardError > 0, $"{slot.ItemId}: {slot.Propensity}");
        }

        Assert.Contains(slots, s => s.Kind == SlotKind.Explore && s.Rank >= 0);
        Assert.Contains(slots, s => s.Inclusion < 1);   // a long-tail item: its inclusion scales the error as it does the propensity
    }

    [Fact]
    public async Task UncertaintySlotsStoreAStandardErrorOnlyWhereAPoolIsDrawnAThirdTime()
    {
        // Every slot explores until the budget of 6 is spent: positions 4 and 5 are a pool's third draw.
        var lists = await StoredListsAsync(new ServingOptions { Explore = 1, ExplorationBudget = 6 });
        var slots = lists.SelectMany(l => l.Slots.Select((slot, position) => (slot, position))).ToList();

        Assert.All(slots.Where(s => s.position < 4), s => Assert.Equal(0, s.slot.PropensityStandardError));
        var thirdDraws = slots.Where(s => s.position is 4 or 5).Select(s => s.slot).ToList();
        Assert.Equal(2 * lists.Count, thirdDraws.Count);
        Assert.All(thirdDraws, s => Assert.Equal(SlotKind.Explore, s.Kind));
        Assert.Contains(thirdDraws, s => s.PropensityStandardError > 0);
        // One of the two schedules' draws is estimated, from 2,000 runs: at most half of 0.5 / √2000.
        Assert.All(thirdDraws, s => Assert.InRange(s.PropensityStandardError, 0, 0.25 / Math.Sqrt(2000)));
    }
}
