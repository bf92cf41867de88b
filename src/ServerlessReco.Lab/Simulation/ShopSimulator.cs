using ServerlessReco.Core.Exploration;
namespace ServerlessReco.Lab.Simulation;

public sealed record SimulatorOptions
{
    public int Users { get; init; } = 300;
    public int Categories { get; init; } = 8;
    public int InitialItems { get; init; } = 300;
    /// <summary>Items arriving at the start of every round.</summary>
    public int NewItemsPerRound { get; init; } = 1;
    public int Rounds { get; init; } = 300;
    /// <summary>Requests (one random user each) per round.</summary>
    public int RequestsPerRound { get; init; } = 20;
    public int ListSize { get; init; } = 5;
    /// <summary>Candidates handed to the policy (the personalised top of the exploit score).</summary>
    public int Candidates { get; init; } = 50;
    /// <summary>An item is "new" (boosted) for this many rounds after it arrives.</summary>
    public int NewForRounds { get; init; } = 20;
    /// <summary>Standard deviation of the per-round random walk of each user's log-interests.</summary>
    public double Drift { get; init; } = 0.05;
    /// <summary>Item appeal u^Skew, u uniform: larger is more skewed (few very appealing items).</summary>
    public double PopularitySkew { get; init; } = 3;
    public int Seed { get; init; } = 1;
}

/// <param name="CumulativeReward">Clicks earned.</param>
/// <param name="Regret">Expected clicks of the oracle's lists (the true top items of each user at that round)
/// minus the expected clicks of the served lists.</param>
/// <param name="Coverage">Share of the final catalogue shown at least once.</param>
/// <param name="ExposureGini">Gini coefficient of impressions over the final catalogue (0 even, 1 one item).</param>
/// <param name="RewardByRound">Clicks per round.</param>
public sealed record SimulationResult(string Policy, double CumulativeReward, double ExpectedReward, double OracleReward,
    double Regret, double Coverage, double ExposureGini, IReadOnlyList<double> RewardByRound);

/// <summary>One served list of a simulation: the candidates the policy saw (and each one's true click probability,
/// known only to the simulator), what it served and each slot's reward.</summary>
public sealed record SimulatedRequest(string Context, IReadOnlyList<Candidate> Candidates, IReadOnlyList<double> ClickProbabilities,
    IReadOnlyList<ExploredSlot> Slots, IReadOnlyList<double> Rewards)
{
    public IEnumerable<LoggedDecision> Decisions() =>
        Slots.Select((s, i) => new LoggedDecision(Context, s.ItemId, s.Position, s.Propensity, Rewards[i]));
}

/// <summary>
/// A closed loop in a simulated shop with known preferences. Users have log-interests per category (normal,
/// drifting by a random walk each round); items have a category and an appeal (skewed); a click happens with
/// probability appeal × 0.6 × share of the user's interest in the item's category × categories / 2 (capped at 1).
/// Items arrive every round. The system learns as it goes: its exploit score of an item for a user is the item's
/// smoothed click-through rate ((clicks + 1) / (impressions + 20)) times (0.2 + the user's smoothed share of clicks
/// in the item's category); the top <see cref="SimulatorOptions.Candidates"/> are handed to the policy with their
/// clicks and impressions (uniform random gets the whole catalogue). The world (users, drift, arrivals, requests)
/// is drawn from the seed alone, so every policy faces the same shop; clicks and the policy have their own sources.
/// </summary>
public static class ShopSimulator
{
    private sealed class Item(string id, int category, double appeal, int arrived)
    {
        public string Id { get; } = id;
        public int Category { get; } = category;
        public double Appeal { get; } = appeal;
        public int Arrived { get; } = arrived;
        public long Clicks { get; set; }
        public long Impressions { get; set; }
    }

    /// <param name="log">When given, receives every served list (for off-policy evaluation).</param>
    public static SimulationResult Run(IExplorationPolicy policy, SimulatorOptions options, ICollection<SimulatedRequest>? log = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var world = new Random(options.Seed);
        var clicks = new Random(options.Seed * 7919 + 1);
        var policyRandom = new Random(options.Seed * 104729 + 2);
        var categories = options.Categories;

        var interests = new double[options.Users, categories];
        for (var u = 0; u < options.Users; u++)
            for (var c = 0; c < categories; c++) interests[u, c] = 1.5 * BetaSampler.Normal(world);
        var userCategoryClicks = new double[options.Users, categories];
        var userClicks = new double[options.Users];

        var items = new List<Item>();
        void Arrive(int round)
        {
            var id = $"item{items.Count}";
            items.Add(new Item(id, world.Next(categories), Math.Pow(world.NextDouble(), options.PopularitySkew), round));
        }
        for (var i = 0; i < options.InitialItems; i++) Arrive(-options.NewForRounds);

        double ClickProbability(int user, Item item, double[] shares) =>
            Math.Min(1, item.Appeal * 0.6 * shares[item.Category] * categories / 2);

        var byRound = new double[options.Rounds];
        double reward = 0, expected = 0, oracle = 0;
        var shares = new double[categories];
        var truth = new double[0];
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var i = 0; i < options.NewItemsPerRound; i++) Arrive(round);
            for (var u = 0; u < options.Users; u++)
                for (var c = 0; c < categories; c++) interests[u, c] += options.Drift * BetaSampler.Normal(world);

            for (var r = 0; r < options.RequestsPerRound; r++)
            {
                var user = world.Next(options.Users);
                double max = double.NegativeInfinity, sum = 0;
                for (var c = 0; c < categories; c++) max = Math.Max(max, interests[user, c]);
                for (var c = 0; c < categories; c++) sum += shares[c] = Math.Exp(interests[user, c] - max);
                for (var c = 0; c < categories; c++) shares[c] /= sum;

                if (truth.Length < items.Count) truth = new double[items.Count * 2];
                for (var i = 0; i < items.Count; i++) truth[i] = ClickProbability(user, items[i], shares);
                oracle += truth.Take(items.Count).OrderDescending().Take(options.ListSize).Sum();

                List<Candidate> candidates;
                var byId = new Dictionary<string, int>(items.Count);
                for (var i = 0; i < items.Count; i++) byId[items[i].Id] = i;
                if (policy is UniformRandomPolicy)
                {
                    candidates = items.Select(it => new Candidate(it.Id, 0)).ToList();
                }
                else
                {
                    var scored = new (double Score, int Index)[items.Count];
                    for (var i = 0; i < items.Count; i++)
                    {
                        var it = items[i];
                        var ctr = (it.Clicks + 1.0) / (it.Impressions + 20.0);
                        var share = (userCategoryClicks[user, it.Category] + 1.0 / categories) / (userClicks[user] + 1);
                        scored[i] = (ctr * (0.2 + share), i);
                    }
                    candidates = scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Take(options.Candidates)
                        .Select(s =>
                        {
                            var it = items[s.Index];
                            return new Candidate(it.Id, s.Score, round - it.Arrived < options.NewForRounds, it.Clicks, it.Impressions);
                        }).ToList();
                }

                var slots = policy.Select(candidates, options.ListSize, policyRandom);
                var rewards = new double[slots.Count];
                foreach (var slot in slots)
                {
                    var index = byId[slot.ItemId];
                    var item = items[index];
                    item.Impressions++;
                    expected += truth[index];
                    if (clicks.NextDouble() < truth[index])
                    {
                        item.Clicks++;
                        userCategoryClicks[user, item.Category]++;
                        userClicks[user]++;
                        reward++;
                        byRound[round]++;
                        rewards[slot.Position] = 1;
                    }
                }
                log?.Add(new SimulatedRequest($"{round}/{r}", candidates, candidates.Select(c => truth[byId[c.ItemId]]).ToArray(), slots, rewards));
            }
        }

        var exposures = items.Select(it => (double)it.Impressions).ToArray();
        var coverage = exposures.Count(e => e > 0) / (double)exposures.Length;
        return new SimulationResult(policy.Name, reward, expected, oracle, oracle - expected, coverage, Gini(exposures), byRound);
    }

    /// <summary>Gini coefficient of non-negative values: Σ_i (2i − n − 1)·x_(i) / (n·Σx), x sorted ascending, i from 1.</summary>
    public static double Gini(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var total = sorted.Sum();
        if (n == 0 || total == 0) return 0;
        double weighted = 0;
        for (var i = 0; i < n; i++) weighted += (2.0 * (i + 1) - n - 1) * sorted[i];
        return weighted / (n * total);
    }
}
