using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>Each served slot says how sure its propensity is: 0 where the policy computes it exactly, the Monte Carlo standard error where it estimates it.</summary>
public sealed class PropensityStandardErrorTests
{
    private static readonly List<Candidate> ThompsonCandidates =
    [
        new("a", 5, Clicks: 30, Impressions: 300),
        new("b", 4, Clicks: 12, Impressions: 100),
        new("c", 3, Clicks: 2, Impressions: 10),
        new("d", 2, IsNew: true),
        new("e", 1, Clicks: 1, Impressions: 200),
    ];

    /// <summary>A head of 6, then 5 of the model's pool and 5 unknown items with feedback that spreads their weights.</summary>
    private static List<Candidate> PooledCandidates()
    {
        var ranked = new List<Candidate>();
        for (var i = 0; i < 6; i++)
        {
            ranked.Add(new Candidate($"h{i}", 1 - (i * 0.01), Clicks: 3, Impressions: 40));
        }

        for (var i = 0; i < 5; i++)
        {
            ranked.Add(new Candidate($"k{i}", 0.8 - (i * 0.05), Clicks: i % 2, Impressions: i * 6));
            ranked.Add(new Candidate($"u{i}", 0.2 + (i * 0.1), Impressions: i * 3, Group: UncertaintyPolicy.UnknownGroup));
        }

        return ranked;
    }

    public static TheoryData<string> ExactPolicies() => ["epsilon-greedy", "uniform", "uncertainty budget 2", "uncertainty budget 4"];

    [Theory]
    [MemberData(nameof(ExactPolicies))]
    public void ExactPoliciesLogAStandardErrorOfZeroOnEverySlot(string name)
    {
        IExplorationPolicy policy = name switch
        {
            "epsilon-greedy" => new EpsilonGreedyPolicy(0.5, budget: 3, newItemBoost: 1),
            "uniform" => new UniformRandomPolicy(),
            "uncertainty budget 2" => new UncertaintyPolicy(0.5, budget: 2),
            _ => new UncertaintyPolicy(0.9, budget: 4),
        };
        var random = new Random(17);
        var slots = Enumerable.Range(0, 200).SelectMany(_ => policy.Select(PooledCandidates(), 6, random)).ToList();

        Assert.Contains(slots, s => s.Kind == SlotKind.Explore);
        Assert.All(slots, s => Assert.Equal(0, s.PropensityStandardError));
    }

    [Fact]
    public void ThompsonLogsTheBinomialStandardErrorOfItsRunsAndItMeasuresHowFarTheEstimateIsFromTheTruth()
    {
        const int Samples = 2000;
        var truth = new ThompsonSamplingPolicy(explore: 1, newItemBoost: 1, monteCarloSamples: 400_000, distributionSeed: 99).Distribution(ThompsonCandidates, 3);
        var policy = new ThompsonSamplingPolicy(explore: 1, newItemBoost: 1, monteCarloSamples: Samples);
        var random = new Random(5);
        var deviations = new List<double>();   // (estimate − truth) / its standard error, per slot
        for (var list = 0; list < 200; list++)
        {
            foreach (var slot in policy.Select(ThompsonCandidates, 3, random))
            {
                var p = slot.Propensity;
                Assert.Equal(Math.Sqrt(p * (1 - p) / (Samples + 1)), slot.PropensityStandardError, 15);
                Assert.True(slot.PropensityStandardError > 0);
                deviations.Add((p - truth[slot.Position].GetValueOrDefault(slot.ItemId)) / slot.PropensityStandardError);
            }
        }

        // Every estimate lies within 5 standard errors of the truth (4 for all but a rare one), and over 600 slots the
        // deviations spread as the standard error says (root mean square 1): it is neither too small nor too large.
        Assert.All(deviations, z => Assert.InRange(z, -5, 5));
        Assert.True(deviations.Count(z => Math.Abs(z) > 4) <= 2, string.Join(", ", deviations.Where(z => Math.Abs(z) > 4)));
        Assert.InRange(Math.Sqrt(deviations.Average(z => z * z)), 0.85, 1.15);
    }

    [Fact]
    public void UncertaintyLogsAStandardErrorOnlyForSlotsThatCanBeAPoolsThirdDrawAndItsEstimateIsWithinFourOfThemOfTheTruth()
    {
        // A budget of 5 with two pools: the fifth explore slot (position 4 at the earliest) is a pool's third draw.
        var policy = new UncertaintyPolicy(0.9, budget: 5, monteCarloSamples: 2000);
        var truth = new UncertaintyPolicy(0.9, budget: 5, monteCarloSamples: 400_000).Distribution(PooledCandidates(), 6);
        var random = new Random(23);
        var estimated = 0;
        for (var list = 0; list < 300; list++)
        {
            foreach (var slot in policy.Select(PooledCandidates(), 6, random))
            {
                if (slot.Kind == SlotKind.Exploit || slot.Position < 4)
                {
                    Assert.Equal(0, slot.PropensityStandardError);
                    continue;
                }

                Assert.True(slot.PropensityStandardError > 0, $"{slot.ItemId} at {slot.Position}");
                // The estimate's share of the propensity is at most half (one of the two schedules): so is its error.
                Assert.True(slot.PropensityStandardError <= 0.5 * 0.5 / Math.Sqrt(2000));
                var exact = truth[slot.Position][slot.ItemId];
                Assert.True(Math.Abs(slot.Propensity - exact) <= 4 * slot.PropensityStandardError,
                    $"{slot.ItemId} at {slot.Position}: {slot.Propensity} ± {slot.PropensityStandardError}, truth {exact}");
                estimated++;
            }
        }

        Assert.True(estimated > 100, $"only {estimated} slots drew a pool a third time");
    }

    [Fact]
    public async Task TheExplorationReportCountsTheMonteCarloSlotsWithTheirMeanAndLargestStandardError()
    {
        ServedListRecord List(string id, params double[] errors) => new(
            id, "u1", DateTimeOffset.UnixEpoch.AddDays(1), "thompson(0.5)", 0.5, errors.Length, 10, 0,
            [.. errors.Select((e, p) => new ServedListSlot($"i{p}", SlotKind.Explore, 0.2, p, false, PropensityStandardError: e))]);
        var lists = new[] { List("l1", 0.01, 0, 0.03), List("l2", 0.02) }.ToAsyncEnumerable();

        var log = await ExplorationLog.ReadAsync(lists, AsyncEnumerable.Empty<BehaviorEvent>(), TestContext.Current.CancellationToken);
        var report = ExplorationReport.Build(log, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(2), new ExplorationEvaluationOptions());
        var exact = ExplorationReport.Build(
            await ExplorationLog.ReadAsync(new[] { List("l3", 0, 0) }.ToAsyncEnumerable(), AsyncEnumerable.Empty<BehaviorEvent>(), TestContext.Current.CancellationToken),
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(2), new ExplorationEvaluationOptions());

        Assert.Equal(3, report.MonteCarlo.Slots);
        Assert.Equal(0.02, report.MonteCarlo.MeanStandardError, 12);
        Assert.Equal(0.03, report.MonteCarlo.MaxStandardError, 12);
        Assert.Equal(MonteCarloPropensities.None, exact.MonteCarlo);
        // A model version stores its report as before: the count is the admin route's alone.
        Assert.DoesNotContain("monteCarlo", JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnExactSlotIsStoredWithoutTheFieldAsBeforeAndAnEstimatedOneWithIt()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var exact = JsonSerializer.Serialize(new ServedListSlot("a", SlotKind.Explore, 0.2, 3, false), web);
        var estimated = JsonSerializer.Serialize(new ServedListSlot("a", SlotKind.Explore, 0.2, 3, false, PropensityStandardError: 0.01), web);

        Assert.DoesNotContain("propensityStandardError", exact, StringComparison.Ordinal);
        Assert.Contains("\"propensityStandardError\":0.01", estimated, StringComparison.Ordinal);
        Assert.Equal(0.01, JsonSerializer.Deserialize<ServedListSlot>(estimated, web)!.PropensityStandardError);
    }
}
