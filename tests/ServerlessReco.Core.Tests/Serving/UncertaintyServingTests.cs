using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The uncertainty policy (the serving default) in the real serving path: the whole catalogue, exact logged propensities, explore 0.</summary>
public sealed class UncertaintyServingTests : IDisposable
{
    private readonly ServingShop _shop = new();
    private readonly Observed _observed = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    /// <summary>The sample shop, its model, and 30 catalogue items nobody ever touched, added a year ago (not new).</summary>
    private async Task<RecommendationService> ServiceAsync(ServingOptions options)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        await _shop.AddUntouchedItemsAsync(30);
        var service = new RecommendationService(new ModelCache(_shop.Models, options), _shop.Items, _shop.Events, _shop.ServedLists, options, observer: _observed);
        await service.RefreshAsync();
        return service;
    }

    [Fact]
    public void TheServingDefaultIsTheUncertaintyPolicy() =>
        Assert.Equal(ExplorationPolicies.Uncertainty, new ServingOptions().ExplorationPolicy);

    [Fact]
    public async Task ExploreSlotsReachCatalogueItemsTheModelDoesNotKnowWhateverTheirAge()
    {
        // Every list explores 4 slots, 2 from the unknown pool; this instance's own showings spread the draws.
        var service = await ServiceAsync(new ServingOptions { Explore = 1, ExplorationBudget = 4 });
        var pooled = new HashSet<string>();
        var reachable = 0.0;
        var policy = new UncertaintyPolicy(1, 4, 1);
        for (var u = 0; u < 60; u++)
        {
            await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(u % 30)), Cancel);
            var served = _observed.Last!;
            pooled.UnionWith(served.Candidates.Where(c => c.Group == UncertaintyPolicy.UnknownGroup).Select(c => c.ItemId));
            reachable += policy.Distribution(served.Candidates, served.Shape.Head)
                .Sum(slot => slot.Where(p => p.Key.StartsWith("untouched-", StringComparison.Ordinal)).Sum(p => p.Value));
        }

        // Items nobody touched, a year old, take their turns in the unknown pools (at most 200 a list) and every list
        // could show them: they carry probability in its explore slots.
        Assert.True(pooled.Count(i => i.StartsWith("untouched-", StringComparison.Ordinal)) >= 20, string.Join(", ", pooled));
        Assert.True(reachable > 0, "no list could show an untouched item");
    }

    [Fact]
    public async Task EveryLoggedPropensityIsThePolicysProbabilityOverTheCandidatesTheListWasDrawnFrom()
    {
        var options = new ServingOptions { Explore = 0.3 };
        var service = await ServiceAsync(options);
        var policy = new UncertaintyPolicy(0.3, options.ExplorationBudget, options.NewItemBoost);
        for (var u = 0; u < 40; u++)
        {
            await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(u % 20)), Cancel);
            var served = _observed.Last!;
            var distribution = policy.Distribution(served.Candidates, served.Shape.Head);
            for (var p = 0; p < served.List.Items.Count; p++)
            {
                var (item, slot) = (served.List.Items[p], served.Slots[p]);
                var expected = slot.Rank < 0 ? 1 : distribution[p][item.ItemId] * slot.Inclusion;
                Assert.True(Math.Abs(expected - item.Propensity) <= 1e-12 * Math.Max(1, expected), $"{item.ItemId} at {p}: logged {item.Propensity}, policy {expected}");
            }
        }
    }

    [Fact]
    public async Task ExploreZeroIsTheModelsOrderWithNoNewArrivalSlotAndNothingUnknown()
    {
        var service = await ServiceAsync(new ServingOptions { NewArrivalSlots = 1 });
        var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(), Explore: 0), Cancel);

        Assert.Equal(10, list.Items.Count);
        Assert.All(list.Items, i => Assert.Equal((SlotKind.Exploit, 1.0), (i.SlotKind, i.Propensity)));
        Assert.DoesNotContain(list.Items, i => i.ReasonKind == ReasonKind.NewArrival || i.ItemId.StartsWith("untouched-", StringComparison.Ordinal));
        Assert.Equal(0, _observed.Last!.Shape.Pool);
    }

    [Fact]
    public async Task AtTheLoggedRateOffPolicyEstimatesEqualTheOnlineClickThroughRateAndExploreZeroLeavesOutTheNewArrivalSlot()
    {
        var service = await ServiceAsync(new ServingOptions { Explore = 0.2 });
        var clicks = new List<BehaviorEvent>();
        var random = new Random(11);
        for (var u = 0; u < 40; u++)
        {
            var user = _shop.ActiveUser(u);
            var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
            clicks.AddRange(list.Items.Where(_ => random.NextDouble() < 0.2)
                .Select(i => ServingShop.Event(user, i.ItemId, EventType.Click) with { RecommendationId = list.RecommendationId }));
        }

        await _shop.Events.AppendAsync(clicks, Cancel);
        var log = await ExplorationLog.ReadAsync(_shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel), _shop.Events.ReadAllAsync(cancellationToken: Cancel), Cancel);
        var online = OnlineReport.Build(log, DateTimeOffset.MinValue, DateTimeOffset.UtcNow).Rows.Single(r => r.SlotKind == OnlineReport.AllSlots);
        var estimates = ExplorationRateEvaluation.Evaluate(log.Slots, [0, 0.2], 2, 1);

        Assert.StartsWith("uncertainty(0.2)", online.Policy, StringComparison.Ordinal);
        var atLoggedRate = Assert.Single(estimates, e => e.Explore == 0.2);
        Assert.Equal(online.ClickThroughRate, atLoggedRate.Ips.Value, 9);
        var policySlots = log.Slots.Count(s => !s.Impression.IsFixed);
        Assert.Equal(policySlots, Assert.Single(estimates, e => e.Explore == 0).Ips.Count);
    }

    [Fact]
    public async Task TheNewArrivalSlotTakesTurnsAmongTheDaysArrivals()
    {
        var service = await ServiceAsync(new ServingOptions { NewArrivalSlots = 1, ExplorationSeed = 1 });
        var category = _shop.Data.Items.First(i => i.Category is not null).Category!;
        var arrivals = Enumerable.Range(0, 3)
            .Select(i => new CatalogItem { ItemId = $"arrival-{i}", Title = $"Arrival {i}", Category = category, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1 - i) })
            .ToList();
        await _shop.Items.UpsertAsync(arrivals, Cancel);
        await service.RefreshAsync();

        var slot = new List<string>();
        var anywhere = new HashSet<string>();
        for (var u = 0; u < 4; u++)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(u), Category: category), Cancel);
            slot.AddRange(list.Items.Where(i => i.ReasonKind == ReasonKind.NewArrival).Select(i => i.ItemId));
            anywhere.UnionWith(list.Items.Select(i => i.ItemId));
        }

        // The newest first, then one not shown yet (an arrival an explore slot showed counts as shown): no arrival waits.
        Assert.Equal("arrival-0", slot[0]);
        Assert.True(slot.Distinct().Count() >= 2, string.Join(", ", slot));
        Assert.Subset(anywhere, arrivals.Select(a => a.ItemId).ToHashSet());
    }

    [Fact]
    public async Task AnArrivalNoListShowedComesFirstEvenOutsideTheShoppersCategoriesThenTheirsOnly()
    {
        // No explore slot (budget 0) so that only the new-arrival slot shows arrivals.
        var service = await ServiceAsync(new ServingOptions { NewArrivalSlots = 1, ExplorationBudget = 0, ExplorationSeed = 1 });
        var user = _shop.ActiveUser(0);
        var theirs = _shop.Data.Events.Where(e => e.UserId == user).Select(e => _shop.Item(e.ItemId).Category).First(c => c is not null)!;
        await _shop.Items.UpsertAsync(
        [
            new CatalogItem { ItemId = "arrival-theirs", Title = "In their category", Category = theirs, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) },
            new CatalogItem { ItemId = "arrival-elsewhere", Title = "On a shelf nobody visited", Category = "A brand-new shelf", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2) },
        ], Cancel);
        await service.RefreshAsync();

        var slot = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
            slot.AddRange(list.Items.Where(item => item.ReasonKind == ReasonKind.NewArrival).Select(item => item.ItemId));
        }

        // Every arrival first once (the sample shop has its own), theirs before the other shelf's; then only what fits
        // their categories, in turns: the other shelf's arrival once, theirs again and again.
        Assert.True(slot.IndexOf("arrival-theirs") < slot.IndexOf("arrival-elsewhere"), string.Join(", ", slot));
        Assert.Single(slot, id => id == "arrival-elsewhere");
        Assert.True(slot.Count(id => id == "arrival-theirs") >= 2, string.Join(", ", slot));
    }

    [Fact]
    public async Task AnArrivalShoppersClickedGetsTheNewArrivalSlotMoreOftenThanOneNobodyClicked()
    {
        var service = await ServiceAsync(new ServingOptions { NewArrivalSlots = 1, ExplorationBudget = 0, ExplorationSeed = 1 });
        const string shelf = "Arrivals shelf";
        await _shop.Items.UpsertAsync(
        [
            new CatalogItem { ItemId = "arrival-liked", Title = "Liked", Category = shelf, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2) },
            new CatalogItem { ItemId = "arrival-ignored", Title = "Ignored", Category = shelf, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) },
        ], Cancel);
        await service.RefreshAsync();

        // Both are shown to six shoppers (the shelf's lists hold little else); the liked one is clicked twice, the other never.
        var clicks = new List<BehaviorEvent>();
        for (var u = 0; u < 6; u++)
        {
            var user = _shop.ActiveUser(u);
            var list = await service.RecommendAsync(new RecommendationRequest(user, Category: shelf), Cancel);
            Assert.Contains(list.Items, i => i.ItemId == "arrival-ignored");
            if (list.Items.Any(i => i.ItemId == "arrival-liked") && clicks.Count < 2)
            {
                clicks.Add(ServingShop.Event(user, "arrival-liked", EventType.Click) with { RecommendationId = list.RecommendationId });
            }
        }

        await _shop.Events.AppendAsync(clicks, Cancel);
        await service.RefreshAsync();
        var slot = new List<string>();
        for (var u = 6; u < 18; u++)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(_shop.ActiveUser(u), Category: shelf), Cancel);
            slot.AddRange(list.Items.Where(i => i.ReasonKind == ReasonKind.NewArrival).Select(i => i.ItemId));
        }

        // Before the clicks the newer took the slot (equal counts: the newest first); after them the clicked one.
        Assert.Equal(2, clicks.Count);
        Assert.True(slot.Count(i => i == "arrival-liked") > slot.Count(i => i == "arrival-ignored"), string.Join(", ", slot));
    }

    private sealed class Observed : IServedListSink
    {
        public ServedList? Last { get; private set; }

        public Task ServedAsync(ServedList served, CancellationToken cancellationToken)
        {
            Last = served;
            return Task.CompletedTask;
        }
    }
}
