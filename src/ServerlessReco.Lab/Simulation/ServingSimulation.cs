using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Training;

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
    public static Task<ServingSimulationRun> RunAsync(
        SimulatedPolicy policy, ServingSimulationOptions options, SimulationStores stores, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(policy, options, SimulationWorld.HandBuilt, stores, progress, cancellationToken);

    /// <summary>The loop in a fresh <paramref name="world"/> against the product in this process over <paramref name="stores"/>.</summary>
    public static Task<ServingSimulationRun> RunAsync(
        SimulatedPolicy policy, ServingSimulationOptions options, SimulationWorld world, SimulationStores stores, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(world);
        var serving = policy.CreateOptions(options.Seed);
        // A policy without the click model (SimulatedPolicy.WithoutClickModel) is the product before it: neither served nor trained.
        serving.ClickModel &= options.ClickModel;
        // The retrain knows the policy's serving settings, as a host's does: the rate it adapts starts from the policy's own.
        var retrain = new RetrainOptions
        {
            ClickModel = new ClickModelOptions { Enabled = serving.ClickModel }, AdaptiveRate = new AdaptiveRateOptions { Enabled = options.AdaptiveRate }, Serving = serving,
        };
        var api = new InProcessShopApi(stores, serving, options.Start, retrain, world.ContentModel);
        return RunAsync(policy, options, world.Create(options), api, progress, cancellationToken);
    }

    /// <summary>The loop in any world (<paramref name="world"/>, fresh for this run) against any way of reaching the product (<paramref name="api"/>).</summary>
    public static async Task<ServingSimulationRun> RunAsync(
        SimulatedPolicy policy, ServingSimulationOptions options, IShopWorld world, IShopApi api, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(api);
        var shop = new SimulatedShop(policy, options, world, api, cancellationToken);
        await shop.OpenAsync().ConfigureAwait(false);
        for (var day = 0; day < options.WarmUpRounds; day++)
        {
            await shop.BeginDayAsync(day).ConfigureAwait(false);
        }

        for (var round = 0; round < options.Rounds; round++)
        {
            await shop.RunRoundAsync(round).ConfigureAwait(false);
            if (round % options.RetrainEvery == 0 && shop.Retrained is { } retrained)
            {
                progress?.Report(retrained);
            }

            if ((round + 1) % 10 == 0 || round + 1 == options.Rounds)
            {
                progress?.Report(shop.Progress(round));
            }
        }

        return shop.Result();
    }

    /// <summary>
    /// The oracle's expected clicks: the list of the items this shopper would most likely click, among those not taken up
    /// yet, best first (where the position discount is kindest).
    /// </summary>
    public static double Oracle(IShopWorld world, int user, HashSet<string> takenUp, int size)
    {
        ArgumentNullException.ThrowIfNull(world);
        var best = BestItems(world, user, takenUp, size);
        var sum = 0.0;
        for (var position = 0; position < best.Count; position++)
        {
            sum += world.ClickProbability(user, best[position]) * world.PositionDiscount(position);
        }

        return sum;
    }

    /// <summary>The <paramref name="size"/> items this shopper would most likely click now, among those not taken up yet, best first.</summary>
    public static IReadOnlyList<WorldItem> BestItems(IShopWorld world, int user, HashSet<string> takenUp, int size)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(takenUp);
        var best = new PriorityQueue<WorldItem, double>(size + 1);
        foreach (var item in world.Items)
        {
            if (takenUp.Contains(item.Id))
            {
                continue;
            }

            best.Enqueue(item, world.ClickProbability(user, item));
            if (best.Count > size)
            {
                best.Dequeue();
            }
        }

        // The queue gives the least likely first: fill the list from its end.
        var ranked = new WorldItem[best.Count];
        for (var i = ranked.Length - 1; best.TryDequeue(out var item, out _); i--)
        {
            ranked[i] = item;
        }

        return ranked;
    }

    public static BehaviorEvent Event(string userId, string itemId, EventType type, DateTimeOffset at, string? recommendationId) => new()
    {
        // Ids name what happened (the list, the item, the action), so a retried post stores nothing twice. Organic visits
        // are named by their time in ticks: over HTTP days are seconds apart and their visits' times overlap, so whole
        // seconds could name two visits alike (in process every time is a whole second: the ids are as unique as before).
        EventId = recommendationId is null
            ? $"organic-{at.UtcTicks}-{userId}-{itemId}-{type.ToWireName()}"
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
