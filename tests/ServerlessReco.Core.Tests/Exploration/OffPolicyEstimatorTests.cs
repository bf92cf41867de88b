using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>
/// Synthetic shop with a known truth: 3 user segments, each with its own ranking of 12 items; an item clicks with a
/// fixed probability per segment times a position factor (1, 0.7, 0.5). Lists of 3 are logged by epsilon-greedy
/// (explore 0.5) with its exact propensities; the value of another policy per slot is then known analytically:
/// (1/3) Σ_segments (1/3) Σ_positions Σ_items π(item at position) · ctr(segment, item) · factor(position).
/// </summary>
public class OffPolicyEstimatorTests(ITestOutputHelper output)
{
    private const int Slots = 3;
    private static readonly double[] PositionFactor = [1, 0.7, 0.5];

    private sealed class Shop
    {
        public Shop()
        {
            var random = new Random(2024);
            for (var s = 0; s < 3; s++)
            {
                var ctr = Enumerable.Range(0, 12).ToDictionary(i => $"i{i}", _ => 0.02 + 0.3 * random.NextDouble());
                Ctr[$"s{s}"] = ctr;
                // The model's ranking is imperfect: sorted by a noisy CTR.
                Ranked[$"s{s}"] = ctr.OrderByDescending(kv => kv.Value + 0.15 * random.NextDouble())
                    .Select((kv, rank) => new Candidate(kv.Key, 12 - rank, IsNew: rank == 10)).ToList();
            }
        }

        public Dictionary<string, Dictionary<string, double>> Ctr { get; } = new();
        public Dictionary<string, List<Candidate>> Ranked { get; } = new();

        public TargetPolicy Target(IExplorationPolicy policy)
        {
            var distributions = Ranked.ToDictionary(kv => kv.Key, kv => policy.Distribution(kv.Value, Slots));
            return (context, position) => distributions[context][position];
        }

        public double TrueValue(IExplorationPolicy policy)
        {
            double total = 0;
            foreach (var (segment, ranked) in Ranked)
            {
                var distribution = policy.Distribution(ranked, Slots);
                for (var p = 0; p < Slots; p++)
                {
                    foreach (var (item, probability) in distribution[p])
                    {
                        total += probability * Ctr[segment][item] * PositionFactor[p];
                    }
                }
            }
            return total / (Ranked.Count * Slots);
        }

        public List<LoggedDecision> Log(IExplorationPolicy logging, int lists, int seed)
        {
            var random = new Random(seed);
            var logs = new List<LoggedDecision>(lists * Slots);
            for (var l = 0; l < lists; l++)
            {
                var segment = $"s{random.Next(3)}";
                foreach (var slot in logging.Select(Ranked[segment], Slots, random))
                {
                    var click = random.NextDouble() < Ctr[segment][slot.ItemId] * PositionFactor[slot.Position] ? 1.0 : 0.0;
                    logs.Add(new LoggedDecision(segment, slot.ItemId, slot.Position, slot.Propensity, click));
                }
            }
            return logs;
        }
    }

    private static readonly Shop TheShop = new();
    private static readonly EpsilonGreedyPolicy Logging = new(0.5, budget: 3, newItemBoost: 1);

    public static TheoryData<double> TargetRates => [0.0, 0.1, 0.3, 1.0];

    [Theory]
    [MemberData(nameof(TargetRates))]
    public void EstimatesOfAnotherExplorationRateAreWithinFivePercentOfTheTrueValue(double rate)
    {
        var target = new EpsilonGreedyPolicy(rate, budget: 3, newItemBoost: 1);
        var truth = TheShop.TrueValue(target);
        var logs = TheShop.Log(Logging, 40_000, seed: 1);
        var policy = TheShop.Target(target);

        var ips = OffPolicyEstimators.Ips(logs, policy);
        var snips = OffPolicyEstimators.SelfNormalisedIps(logs, policy);
        var dr = OffPolicyEstimators.DoublyRobust(logs, policy, MeanRewardModel.Fit(logs));
        output.WriteLine($"target explore {rate}: truth {truth:0.00000} IPS {ips.Value:0.00000} ±{ips.StandardError:0.00000} " +
            $"SNIPS {snips.Value:0.00000} ±{snips.StandardError:0.00000} DR {dr.Value:0.00000} ±{dr.StandardError:0.00000} ESS {ips.EffectiveSampleSize:0}");
        foreach (var estimate in new[] { ips, snips, dr })
        {
            Assert.Equal(truth, estimate.Value, truth * 0.05);
            Assert.True(Math.Abs(estimate.Value - truth) < 4 * estimate.StandardError + 1e-9,
                $"{estimate.Value} vs {truth} ± {estimate.StandardError}");
        }
    }

    [Fact]
    public void SelfNormalisedAndDoublyRobustVaryLessThanIpsAcrossSeeds()
    {
        var target = new EpsilonGreedyPolicy(0);
        var truth = TheShop.TrueValue(target);
        var policy = TheShop.Target(target);
        var ips = new List<double>();
        var snips = new List<double>();
        var dr = new List<double>();
        for (var seed = 0; seed < 40; seed++)
        {
            var logs = TheShop.Log(Logging, 1_000, seed + 100);
            ips.Add(OffPolicyEstimators.Ips(logs, policy).Value);
            snips.Add(OffPolicyEstimators.SelfNormalisedIps(logs, policy).Value);
            dr.Add(OffPolicyEstimators.DoublyRobust(logs, policy, MeanRewardModel.Fit(logs)).Value);
        }
        static double MeanSquaredError(List<double> xs, double truth) => xs.Average(x => (x - truth) * (x - truth));
        static double Variance(List<double> xs) => xs.Average(x => (x - xs.Average()) * (x - xs.Average()));
        output.WriteLine($"truth {truth:0.00000}; std over 40 seeds: IPS {Math.Sqrt(Variance(ips)):0.00000} " +
            $"SNIPS {Math.Sqrt(Variance(snips)):0.00000} DR {Math.Sqrt(Variance(dr)):0.00000}");
        Assert.True(Variance(snips) < Variance(ips), $"SNIPS {Variance(snips)} vs IPS {Variance(ips)}");
        Assert.True(Variance(dr) < Variance(ips), $"DR {Variance(dr)} vs IPS {Variance(ips)}");
        Assert.True(MeanSquaredError(snips, truth) < MeanSquaredError(ips, truth));
        // All three are centred on the truth (40 × 3,000 decisions).
        Assert.Equal(truth, ips.Average(), truth * 0.03);
        Assert.Equal(truth, snips.Average(), truth * 0.03);
        Assert.Equal(truth, dr.Average(), truth * 0.03);
    }

    [Fact]
    public void LoggingPolicyEvaluatedOnItsOwnLogsGivesUnitWeightsAndTheObservedMean()
    {
        var logs = TheShop.Log(Logging, 2_000, seed: 9);
        var estimate = OffPolicyEstimators.Ips(logs, TheShop.Target(Logging));
        Assert.Equal(logs.Average(d => d.Reward), estimate.Value, 9);
        Assert.Equal(logs.Count, estimate.EffectiveSampleSize, 6);
        Assert.Equal(estimate.Value, OffPolicyEstimators.SelfNormalisedIps(logs, TheShop.Target(Logging)).Value, 9);
    }

    [Fact]
    public void AZeroOrMissingPropensityIsRejected()
    {
        var logs = new List<LoggedDecision> { new("s0", "i0", 0, 0, 1) };
        Assert.Throws<ArgumentException>(() => OffPolicyEstimators.Ips(logs, TheShop.Target(Logging)));
    }
}
