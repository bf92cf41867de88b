using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>Exploration in the real serving path: slot kinds, propensities, impression logging, attribution, evaluation.</summary>
public sealed class ExplorationServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private async Task<RecommendationService> ServiceAsync(ServingOptions? options = null)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(options ?? new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, NewArrivalSlots = 0 });
        await service.RefreshAsync();
        return service;
    }

    private async Task<IReadOnlyList<BehaviorEvent>> HistoryAsync(string user)
    {
        var events = await _shop.Events.ReadUserHistoryAsync(user, 500, Cancel).ToListAsync(Cancel);
        events.Reverse();
        return events;
    }

    [Fact]
    public async Task WithoutExplorationEverySlotExploitsWithPropensityOneInTheModelsOrder()
    {
        var service = await ServiceAsync();
        var list = service.Recommend(new RecommendationRequest(_shop.ActiveUser(), Explore: 0), await HistoryAsync(_shop.ActiveUser()));

        Assert.Equal("epsilon-greedy(0)", list.Policy);
        Assert.Equal(10, list.Items.Count);
        Assert.All(list.Items, i => Assert.Equal((SlotKind.Exploit, 1.0), (i.SlotKind, i.Propensity)));
        Assert.Equal(list.Items.OrderByDescending(i => i.Score).Select(i => i.ItemId), list.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task ExploreSlotsStayWithinTheBudgetAndComeFromBelowTheExploitList()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, NewArrivalSlots = 0, ExplorationBudget = 3 });
        var user = _shop.ActiveUser();
        var history = await HistoryAsync(user);
        var greedy = service.Recommend(new RecommendationRequest(user, Explore: 0), history).Items.Select(i => i.ItemId).ToHashSet();

        var counts = new List<int>();
        for (var run = 0; run < 50; run++)
        {
            var list = service.Recommend(new RecommendationRequest(user, Explore: 1), history);
            var explored = list.Items.Where(i => i.SlotKind == SlotKind.Explore).ToList();
            Assert.All(explored, i => Assert.DoesNotContain(i.ItemId, greedy));
            Assert.All(list.Items.Where(i => i.SlotKind == SlotKind.Exploit), i => Assert.Contains(i.ItemId, greedy));
            Assert.All(list.Items, i => Assert.InRange(i.Propensity, 1e-9, 1));
            counts.Add(explored.Count);
        }

        // Explore = 1 with a budget of 3: exactly the first three slots explore, every time.
        Assert.All(counts, c => Assert.Equal(3, c));
    }

    [Fact]
    public async Task LoggedPropensitiesMatchHowOftenTheItemReallyLandsInThatPosition()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, NewArrivalSlots = 0, Explore = 0.3, ExplorationPool = 10 });
        var user = _shop.ActiveUser(1);
        var history = await HistoryAsync(user);
        const int Runs = 4000;
        var seen = new Dictionary<(string, int), int>();
        var claimed = new Dictionary<(string, int), double>();
        for (var run = 0; run < Runs; run++)
        {
            var list = service.Recommend(new RecommendationRequest(user, Count: 5), history);
            for (var p = 0; p < list.Items.Count; p++)
            {
                var key = (list.Items[p].ItemId, p);
                seen[key] = seen.GetValueOrDefault(key) + 1;
                claimed[key] = list.Items[p].Propensity;
            }
        }

        // Every (item, position) served: its claimed propensity within 4 standard errors of its observed frequency.
        Assert.True(claimed.Count > 20, $"only {claimed.Count} (item, position) pairs were served");
        foreach (var (key, propensity) in claimed)
        {
            var observed = seen[key] / (double)Runs;
            var error = Math.Sqrt(propensity * (1 - propensity) / Runs);
            Assert.True(Math.Abs(observed - propensity) <= (4 * error) + 1e-3, $"{key}: claimed {propensity:F4}, observed {observed:F4}");
        }
    }

    [Fact]
    public async Task TheSameSeedServesTheSameLists()
    {
        var user = _shop.ActiveUser();
        var first = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.5, ExplorationSeed = 42 });
        var second = _shop.Service(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.5, ExplorationSeed = 42 });
        await second.RefreshAsync();
        var history = await HistoryAsync(user);

        for (var run = 0; run < 20; run++)
        {
            Assert.Equal(
                first.Recommend(new RecommendationRequest(user), history).Items.Select(i => (i.ItemId, i.SlotKind, i.Propensity)),
                second.Recommend(new RecommendationRequest(user), history).Items.Select(i => (i.ItemId, i.SlotKind, i.Propensity)));
        }
    }

    [Fact]
    public async Task EachServedListIsOneStoredRecordOutsideTheShoppersHistory()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.2, MaxRecentEvents = 50 });
        var user = _shop.ActiveUser(2);
        var history = await HistoryAsync(user);
        var before = await service.RecommendAsync(new RecommendationRequest(user, Explore: 0), Cancel);

        for (var i = 0; i < 10; i++)
        {
            await service.RecommendAsync(new RecommendationRequest(user, SessionId: "s-1"), Cancel);
        }

        var list = await service.RecommendAsync(new RecommendationRequest(user, SessionId: "s-1"), Cancel);
        var after = await service.RecommendAsync(new RecommendationRequest(user, Explore: 0), Cancel);
        Assert.Equal(before.Items.Select(i => i.ItemId), after.Items.Select(i => i.ItemId));
        Assert.Equal(history.Select(e => e.EventId), (await HistoryAsync(user)).Select(e => e.EventId));

        var stored = await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel);
        Assert.Equal(13, stored.Count);
        var record = Assert.Single(stored, l => l.ListId == list.RecommendationId);
        var logged = LoggedImpressions.Of(record).ToList();
        Assert.Equal(list.Items.Count, logged.Count);
        foreach (var impression in logged)
        {
            var item = list.Items[impression.Position];
            Assert.Equal(item.ItemId, impression.ItemId);
            Assert.Equal(item.SlotKind, impression.Kind);
            Assert.Equal(item.Propensity, impression.Propensity);
            Assert.Equal(list.Policy, impression.Policy);
            Assert.Equal("s-1", impression.SessionId);
            Assert.Equal("v1", impression.ModelVersion);
        }

        Assert.True(logged.Count(i => i.IsFixed) <= 1, "at most the one new-arrival slot is outside the policy");
        // The same list written again (a retry) stores nothing new.
        await _shop.ServedLists.AppendAsync(record, Cancel);
        Assert.Equal(13, await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).CountAsync(Cancel));
    }

    [Fact]
    public async Task OffPolicyEstimatesRecomputeTheLoggedPropensitiesAndAtTheLoggedRateEqualTheOnlineClickThroughRate()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.2 });
        var users = Enumerable.Range(0, 40).Select(_shop.ActiveUser).ToList();
        var clicks = new List<BehaviorEvent>();
        var random = new Random(5);
        foreach (var user in users)
        {
            var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
            foreach (var item in list.Items.Where(_ => random.NextDouble() < 0.15))
            {
                clicks.Add(ServingShop.Event(user, item.ItemId, EventType.Click) with { RecommendationId = list.RecommendationId });
            }

            // A purchase of an item the list did not show cites the list but earns no slot.
            clicks.Add(ServingShop.Event(user, "not-shown", EventType.Purchase) with { RecommendationId = list.RecommendationId });
        }

        await _shop.Events.AppendAsync(clicks, Cancel);
        var log = await ExplorationLog.ReadAsync(_shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel), _shop.Events.ReadAllAsync(cancellationToken: Cancel), Cancel);

        Assert.Equal(users.Count * 10, log.Slots.Count);
        Assert.Equal(users.Count, log.UnattributedRewards);
        Assert.Equal(clicks.Count(c => c.Type == EventType.Click), log.Slots.Count(s => s.Clicked));

        // The logged shape alone reproduces every propensity the service logged at its own rate.
        var policy = new EpsilonGreedyPolicy(0.2, 2, 1);
        Assert.All(log.Slots, s => Assert.Equal(s.Impression.Propensity, ExplorationRateEvaluation.TargetPropensity(policy, s.Impression), 6));

        var online = OnlineReport.Build(log, DateTimeOffset.MinValue, DateTimeOffset.UtcNow);
        var all = Assert.Single(online.Rows, r => r.SlotKind == OnlineReport.AllSlots);
        Assert.Equal("epsilon-greedy(0.2)", all.Policy);
        Assert.Equal((users.Count, users.Count * 10, log.Slots.Count(s => s.Clicked)), (all.Lists, all.Impressions, all.Clicks));
        Assert.Equal(all.Impressions, online.Rows.Where(r => r.SlotKind != OnlineReport.AllSlots).Sum(r => r.Impressions));

        var estimates = ExplorationRateEvaluation.Evaluate(log.Slots, [0, 0.2, 0.5], 2, 1);
        var atLoggedRate = Assert.Single(estimates, e => e.Explore == 0.2);
        Assert.Equal(all.ClickThroughRate, atLoggedRate.Ips.Value, 9);
        Assert.Equal(all.ClickThroughRate, atLoggedRate.SelfNormalisedIps.Value, 9);
        Assert.All(estimates, e => Assert.InRange(e.Ips.EffectiveSampleSize, 1, log.Slots.Count));
    }

    [Fact]
    public async Task TheLongTailSampleSkipsItemsAListAlreadyShowedAndCarriesItsInclusionProbability()
    {
        var options = new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 1, ExplorationBudget = 10, ExplorationPool = 1, ExplorationTailSample = 10, NewArrivalSlots = 0 };
        var service = await ServiceAsync(options);
        var user = _shop.ActiveUser();
        var shown = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            foreach (var item in (await service.RecommendAsync(new RecommendationRequest(user), Cancel)).Items)
            {
                shown.Add(item.ItemId);
            }
        }

        await service.RefreshAsync();   // the trending snapshot now knows those impressions
        var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        var log = await ExplorationLog.ReadAsync(_shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel), _shop.Events.ReadAllAsync(cancellationToken: Cancel), Cancel);
        var tail = log.Slots.Select(s => s.Impression)
            .Where(i => i.RecommendationId == list.RecommendationId && i.Rank >= i.Head + options.ExplorationPool).ToList();

        Assert.NotEmpty(tail);
        Assert.All(tail, i => Assert.DoesNotContain(i.ItemId, shown));
        Assert.All(tail, i => Assert.InRange(i.Inclusion, 1e-6, 0.5));
        Assert.All(tail, i => Assert.Equal(i.Propensity, ExplorationRateEvaluation.TargetPropensity(
            new EpsilonGreedyPolicy(1, 10, options.NewItemBoost), i), 9));
    }
}
