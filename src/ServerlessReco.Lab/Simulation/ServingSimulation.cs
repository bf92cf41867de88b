using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Training;

using ServerlessReco.Core.Exploration;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The closed loop of issue 5 through the code that serves real shoppers. Every simulated day: interests drift, new
/// items are upserted into the catalogue (<see cref="IngestionService"/>, with categories and creation times), organic
/// visits are posted as events; every <see cref="ServingSimulationOptions.RetrainEvery"/> days the
/// <see cref="RetrainService"/> retrains and its gate promotes through the <see cref="ModelRegistry"/>; serving
/// reloads model, catalogue and trending; then shoppers drawn from the seed ask
/// <see cref="RecommendationService.RecommendAsync"/> for lists (the service draws them with the policy under test and
/// logs every slot as an impression event itself), and each shopper clicks a shown item with its true probability,
/// sometimes adds it to the cart and buys it, posting those events with the list's recommendationId.
/// The clock stands still within a day, so serving never starts a background reload on its own: what it serves depends
/// on the seed and the policy only.
/// </summary>
public static class ServingSimulation
{
    private const double CartAfterClick = 0.3;
    private const double PurchaseAfterCart = 0.5;

    public static async Task<ServingSimulationRun> RunAsync(
        SimulatedPolicy policy, ServingSimulationOptions options, SimulationStores stores, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(stores);
        var stopwatch = Stopwatch.StartNew();
        var world = new ShopWorld(options);
        var clock = new SimulationClock(options.Start);
        var ingestion = new IngestionService(stores.Events, stores.Items, clock, RetentionPolicy.Forever);
        var retrain = new RetrainService(stores.Events, new ModelRegistry(stores.Models, clock), new RetrainOptions(), clock, NullLogger<RetrainService>.Instance);
        var serving = policy.CreateOptions(options.Seed);
        var drawnFrom = new LastServedList();
        var service = new RecommendationService(new ModelCache(stores.Models, serving, clock), stores.Items, stores.Events, serving, clock, observer: drawnFrom);

        var byId = new Dictionary<string, WorldItem>(StringComparer.Ordinal);
        var takenUp = Enumerable.Range(0, options.Users).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        var exposures = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in world.Items)
        {
            byId[item.Id] = item;
        }

        // The established catalogue was created long before the simulation: none of it counts as new.
        await IngestionBodies.UpsertAsync(ingestion, world.Items, options.Start.AddDays(-365), cancellationToken).ConfigureAwait(false);

        for (var day = 0; day < options.WarmUpRounds; day++)
        {
            await BeginDayAsync(day).ConfigureAwait(false);
        }

        var rewardByRound = new double[options.Rounds];
        var lists = new List<SimulatedList>(options.Rounds * options.RequestsPerRound);
        double expected = 0, oracle = 0;
        int retrains = 0, promotions = 0, servedSlots = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            await BeginDayAsync(options.WarmUpRounds + round).ConfigureAwait(false);
            if (round % options.RetrainEvery == 0)
            {
                var result = await retrain.RunAsync(cancellationToken).ConfigureAwait(false);
                retrains += result.Version is null ? 0 : 1;
                promotions += result.Outcome == RetrainOutcome.Promoted ? 1 : 0;
            }

            // The promoted model (if any), the day's catalogue and trending, loaded before the first request of the day.
            await service.RefreshAsync().ConfigureAwait(false);
            var now = clock.GetUtcNow();
            for (var request = 0; request < options.RequestsPerRound; request++)
            {
                var user = world.NextUser();
                var userId = ShopWorld.UserId(user);
                var list = await service.RecommendAsync(new RecommendationRequest(userId, options.ListSize), cancellationToken).ConfigureAwait(false);
                var drawn = drawnFrom.Candidates;
                oracle += Oracle(world, user, takenUp[user], options.ListSize);

                var responses = new List<BehaviorEvent>();
                var candidateIds = drawn.Select(c => c.ItemId).ToHashSet(StringComparer.Ordinal);
                var fixedSlots = new List<double>();
                foreach (var shown in list.Items)
                {
                    var item = byId[shown.ItemId];
                    var probability = world.ClickProbability(user, item);
                    expected += probability;
                    servedSlots++;
                    exposures[item.Id] = exposures.GetValueOrDefault(item.Id) + 1;
                    if (!candidateIds.Contains(item.Id))
                    {
                        fixedSlots.Add(probability);
                    }

                    if (StableDraw.Uniform(options.Seed, round, request, item.Id, 0) >= probability)
                    {
                        continue;
                    }

                    rewardByRound[round]++;
                    takenUp[user].Add(item.Id);
                    responses.Add(Event(userId, item.Id, EventType.Click, now, list.RecommendationId));
                    if (StableDraw.Uniform(options.Seed, round, request, item.Id, 1) < CartAfterClick)
                    {
                        responses.Add(Event(userId, item.Id, EventType.AddToCart, now, list.RecommendationId));
                        if (StableDraw.Uniform(options.Seed, round, request, item.Id, 2) < PurchaseAfterCart)
                        {
                            responses.Add(Event(userId, item.Id, EventType.Purchase, now, list.RecommendationId));
                        }
                    }
                }

                lists.Add(new SimulatedList(
                    list.RecommendationId, drawn, drawn.Select(c => world.ClickProbability(user, byId[c.ItemId])).ToArray(),
                    list.Items.Count - fixedSlots.Count, fixedSlots));
                if (responses.Count > 0)
                {
                    await IngestionBodies.RecordAsync(ingestion, responses, cancellationToken).ConfigureAwait(false);
                }
            }

            if ((round + 1) % 10 == 0 || round + 1 == options.Rounds)
            {
                progress?.Report($"{policy.Name}: round {round + 1}/{options.Rounds}, {rewardByRound.Take(round + 1).Sum():N0} clicks, {promotions} models promoted, {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
        }

        var allExposures = world.Items.Select(i => (double)exposures.GetValueOrDefault(i.Id)).ToArray();
        var reward = rewardByRound.Sum();
        var figures = new SimulationResult(
            policy.Name, reward, expected, oracle, oracle - expected, allExposures.Count(e => e > 0) / (double)allExposures.Length,
            Exposure.Gini(allExposures), rewardByRound);
        return new ServingSimulationRun(figures, retrains, promotions, servedSlots, lists, stopwatch.Elapsed);

        // A new day: the clock moves, interests drift, new items arrive in the catalogue, shoppers browse on their own.
        async Task BeginDayAsync(int day)
        {
            clock.Set(options.Start + (day * options.RoundLength));
            var now = clock.GetUtcNow();
            var arrived = world.BeginRound(day);
            foreach (var item in arrived)
            {
                byId[item.Id] = item;
            }

            await IngestionBodies.UpsertAsync(ingestion, arrived, now, cancellationToken).ConfigureAwait(false);
            var visits = world.Browse();
            var events = new List<BehaviorEvent>(visits.Count * 2);
            for (var v = 0; v < visits.Count; v++)
            {
                var visit = visits[v];
                var userId = ShopWorld.UserId(visit.User);
                // Organic visits happen before the day's recommendations, a second apart, in the order drawn.
                var at = now - TimeSpan.FromSeconds(visits.Count - v);
                takenUp[visit.User].Add(visit.Item.Id);
                events.Add(Event(userId, visit.Item.Id, EventType.View, at, null));
                if (visit.AddedToCart)
                {
                    events.Add(Event(userId, visit.Item.Id, EventType.AddToCart, at, null));
                }

                if (visit.Purchased)
                {
                    events.Add(Event(userId, visit.Item.Id, EventType.Purchase, at, null));
                }
            }

            await IngestionBodies.RecordAsync(ingestion, events, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The oracle's expected clicks: the list of the items this shopper would most likely click, among those not taken up yet.</summary>
    private static double Oracle(ShopWorld world, int user, HashSet<string> takenUp, int size)
    {
        var best = new PriorityQueue<double, double>(size + 1);
        foreach (var item in world.Items)
        {
            if (takenUp.Contains(item.Id))
            {
                continue;
            }

            var p = world.ClickProbability(user, item);
            best.Enqueue(p, p);
            if (best.Count > size)
            {
                best.Dequeue();
            }
        }

        var sum = 0.0;
        while (best.TryDequeue(out var p, out _))
        {
            sum += p;
        }

        return sum;
    }

    private static BehaviorEvent Event(string userId, string itemId, EventType type, DateTimeOffset at, string? recommendationId) => new()
    {
        // Ids name what happened (the list, the item, the action), so a retried post stores nothing twice.
        EventId = recommendationId is null
            ? $"organic-{at.ToUnixTimeSeconds()}-{userId}-{itemId}-{type.ToWireName()}"
            : $"{recommendationId}-{itemId}-{type.ToWireName()}",
        UserId = userId,
        ItemId = itemId,
        Type = type,
        Timestamp = at,
        RecommendationId = recommendationId,
    };
}

/// <summary>The candidates the policy drew the last served list from; the simulation knows each one's true click probability.</summary>
internal sealed class LastServedList : IServedListSink
{
    public IReadOnlyList<Candidate> Candidates { get; private set; } = [];

    public Task ServedAsync(ServedList served, CancellationToken cancellationToken)
    {
        Candidates = served.Candidates;
        return Task.CompletedTask;
    }
}
