using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

public class ExplorationPolicyTests
{
    private static List<Candidate> Candidates(int n, params int[] newItems) =>
        Enumerable.Range(0, n).Select(i => new Candidate($"i{i}", n - i, newItems.Contains(i))).ToList();

    [Fact]
    public void EpsilonZeroServesTheRankedHeadWithPropensityOne()
    {
        var slots = new EpsilonGreedyPolicy(0).Select(Candidates(20), 5, new Random(1));
        Assert.Equal(["i0", "i1", "i2", "i3", "i4"], slots.Select(s => s.ItemId));
        Assert.All(slots, s => Assert.Equal(SlotKind.Exploit, s.Kind));
        Assert.All(slots, s => Assert.Equal(1.0, s.Propensity));
    }

    [Fact]
    public void EpsilonGreedyIsDeterministicForASeedAndRespectsTheBudget()
    {
        var policy = new EpsilonGreedyPolicy(0.9, budget: 2, newItemBoost: 2);
        var candidates = Candidates(30, 12, 20);
        var a = policy.Select(candidates, 8, new Random(42));
        var b = policy.Select(candidates, 8, new Random(42));
        Assert.Equal(a, b);
        for (var seed = 0; seed < 200; seed++)
        {
            var slots = policy.Select(candidates, 8, new Random(seed));
            Assert.True(slots.Count(s => s.Kind == SlotKind.Explore) <= 2);
            Assert.Equal(8, slots.Select(s => s.ItemId).Distinct().Count());
        }
    }

    [Fact]
    public void EpsilonGreedyPropensitiesAreExactDistributionsThatMatchObservedFrequencies()
    {
        var policy = new EpsilonGreedyPolicy(0.3, budget: 3, newItemBoost: 3);
        var candidates = Candidates(12, 6, 9, 11);
        const int count = 5, runs = 100_000;
        var distribution = policy.Distribution(candidates, count);
        foreach (var slot in distribution)
        {
            Assert.Equal(1.0, slot.Values.Sum(), 12);
        }
        // Every item at most once per list: its probabilities over positions add to at most 1.
        foreach (var c in candidates)
        {
            Assert.True(distribution.Sum(s => s.GetValueOrDefault(c.ItemId)) <= 1 + 1e-12);
        }

        var observed = new Dictionary<(int, string), int>();
        var random = new Random(7);
        for (var r = 0; r < runs; r++)
        {
            foreach (var slot in policy.Select(candidates, count, random))
            {
                observed[(slot.Position, slot.ItemId)] = observed.GetValueOrDefault((slot.Position, slot.ItemId)) + 1;
                Assert.Equal(distribution[slot.Position][slot.ItemId], slot.Propensity);
            }
        }
        for (var p = 0; p < count; p++)
        {
            foreach (var (item, probability) in distribution[p])
            {
                Assert.Equal(probability, observed.GetValueOrDefault((p, item)) / (double)runs, 0.005);
            }
        }
        // The boost: a new pool item is explored more than an old one at the same position.
        Assert.True(distribution[0]["i6"] > 3 * distribution[0]["i7"] * 0.99);
    }

    [Fact]
    public void ThompsonPropensitiesAreMonteCarloEstimatesThatMatchObservedFrequencies()
    {
        var candidates = new List<Candidate>
        {
            new("a", 5, Clicks: 30, Impressions: 300),
            new("b", 4, Clicks: 12, Impressions: 100),
            new("c", 3, Clicks: 2, Impressions: 10),
            new("d", 2, IsNew: true),
            new("e", 1, Clicks: 1, Impressions: 200),
        };
        var policy = new ThompsonSamplingPolicy(explore: 1, newItemBoost: 1, monteCarloSamples: 4000);
        var distribution = policy.Distribution(candidates, 3);
        foreach (var slot in distribution)
        {
            Assert.Equal(1.0, slot.Values.Sum(), 9);
        }

        // The propensities of served slots (2,000 Monte Carlo runs each) agree with the 4,000-run distribution.
        var random = new Random(3);
        for (var r = 0; r < 50; r++)
        {
            foreach (var slot in new ThompsonSamplingPolicy(explore: 1, newItemBoost: 1).Select(candidates, 3, random))
            {
                // Both are Monte Carlo estimates (2,000 and 4,000 runs): within 4.5 standard errors of each other.
                var expected = distribution[slot.Position].GetValueOrDefault(slot.ItemId);
                var tolerance = 4.5 * Math.Sqrt(expected * (1 - expected) * (1.0 / 2000 + 1.0 / 4000)) + 0.002;
                Assert.Equal(expected, slot.Propensity, tolerance);
                Assert.True(slot.Propensity > 0);
            }
        }
        // What is served follows the distribution (the Monte Carlo count does not change what is served).
        var observed = new Dictionary<(int, string), int>();
        var cheap = new ThompsonSamplingPolicy(explore: 1, newItemBoost: 1, monteCarloSamples: 1);
        const int runs = 20_000;
        for (var r = 0; r < runs; r++)
        {
            foreach (var slot in cheap.Select(candidates, 3, random))
            {
                observed[(slot.Position, slot.ItemId)] = observed.GetValueOrDefault((slot.Position, slot.ItemId)) + 1;
            }
        }

        for (var p = 0; p < 3; p++)
        {
            foreach (var (item, probability) in distribution[p])
            {
                Assert.Equal(probability, observed.GetValueOrDefault((p, item)) / (double)runs, 0.025);
            }
        }
    }

    [Fact]
    public void ThompsonWithNoExplorationServesTheModelOrderAndTheBudgetCapsExploreSlots()
    {
        var candidates = new List<Candidate>
        {
            new("low", 9, Clicks: 1, Impressions: 100),
            new("high", 1, Clicks: 50, Impressions: 100),
            new("fresh", 0, IsNew: true),
        };
        var greedy = new ThompsonSamplingPolicy(explore: 0, monteCarloSamples: 100).Select(candidates, 3, new Random(5));
        Assert.Equal(["low", "high", "fresh"], greedy.Select(s => s.ItemId));
        Assert.All(greedy, s => Assert.Equal(SlotKind.Exploit, s.Kind));
        Assert.All(greedy, s => Assert.Equal(1.0, s.Propensity));

        var budgeted = new ThompsonSamplingPolicy(explore: 1, budget: 1, newItemBoost: 5, monteCarloSamples: 100);
        for (var seed = 0; seed < 100; seed++)
        {
            Assert.True(budgeted.Select(candidates, 3, new Random(seed)).Count(s => s.Kind == SlotKind.Explore) <= 1);
        }
    }

    [Fact]
    public void BetaSamplerHasTheRightMeanAndVariance()
    {
        var random = new Random(11);
        foreach (var (a, b) in new[] { (0.5, 0.5), (2.0, 5.0), (30.0, 270.0) })
        {
            var draws = Enumerable.Range(0, 50_000).Select(_ => BetaSampler.Sample(random, a, b)).ToArray();
            var mean = draws.Average();
            var variance = draws.Select(x => (x - mean) * (x - mean)).Average();
            Assert.Equal(a / (a + b), mean, 0.01);
            Assert.Equal(a * b / ((a + b) * (a + b) * (a + b + 1)), variance, 0.005);
        }
    }
}
