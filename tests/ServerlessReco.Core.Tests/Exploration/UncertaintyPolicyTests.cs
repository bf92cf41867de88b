using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

public sealed class UncertaintyPolicyTests
{
    [Theory]
    [InlineData(0.3, 2)]
    [InlineData(0.5, 4)]
    [InlineData(0.9, 5)]
    public void EachPositionsDistributionSumsToOneAndMatchesHowOftenItemsLandThere(double explore, int budget)
    {
        var policy = new UncertaintyPolicy(explore, budget);
        var ranked = ExplorationCandidates.Ranked();
        var distribution = policy.Distribution(ranked, 10);
        Assert.All(distribution, slot => Assert.Equal(1, slot.Values.Sum(), 9));

        const int Runs = 20_000;
        var seen = new Dictionary<(string, int), int>();
        var random = new Random(7);
        for (var run = 0; run < Runs; run++)
        {
            foreach (var slot in policy.Select(ranked, 10, random))
            {
                seen[(slot.ItemId, slot.Position)] = seen.GetValueOrDefault((slot.ItemId, slot.Position)) + 1;
                // The propensity logged with the slot is the distribution's, exactly (third draws: the same Monte Carlo estimate).
                Assert.Equal(distribution[slot.Position][slot.ItemId], slot.Propensity, 12);
            }
        }

        foreach (var ((item, position), count) in seen)
        {
            var p = distribution[position][item];
            var error = Math.Sqrt(p * (1 - p) / Runs);
            Assert.InRange(count / (double)Runs, p - (5 * error) - 0.003, p + (5 * error) + 0.003);
        }
    }

    [Fact]
    public void WithoutExplorationTheListIsTheHeadInOrderWithPropensityOne()
    {
        var slots = new UncertaintyPolicy(0).Select(ExplorationCandidates.Ranked(), 10, new Random(1));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"h{i}"), slots.Select(s => s.ItemId));
        Assert.All(slots, s => Assert.Equal((SlotKind.Exploit, 1.0), (s.Kind, s.Propensity)));
    }

    [Fact]
    public void AnItemNeverShownIsDrawnFarMoreOftenThanOneShownOftenWithoutAClick()
    {
        List<Candidate> ranked =
        [
            new("h0", 1), new("k0", 0.5),
            new("fresh", 0.3, Group: UncertaintyPolicy.UnknownGroup),
            new("stale", 0.3, Impressions: 200, Group: UncertaintyPolicy.UnknownGroup),
            new("liked", 0.3, Clicks: 30, Impressions: 200, Group: UncertaintyPolicy.UnknownGroup),
        ];
        var first = new UncertaintyPolicy(1, budget: 1, unknownShare: 1).Distribution(ranked, 1)[0];

        Assert.True(first["fresh"] > 20 * first["stale"], $"fresh {first["fresh"]}, stale {first["stale"]}");
        Assert.True(first["liked"] > 20 * first["stale"], $"liked {first["liked"]}, stale {first["stale"]}");
    }

    [Fact]
    public void AnUnknownItemWhoseContentMatchesBetterStartsMoreOptimistic()
    {
        List<Candidate> ranked =
        [
            new("h0", 1),
            new("close", 0.9, Group: UncertaintyPolicy.UnknownGroup),
            new("middle", 0.5, Group: UncertaintyPolicy.UnknownGroup),
            new("far", 0.1, Group: UncertaintyPolicy.UnknownGroup),
        ];
        var first = new UncertaintyPolicy(1, budget: 1, unknownShare: 1).Distribution(ranked, 1)[0];

        Assert.True(first["close"] > first["middle"] && first["middle"] > first["far"]);
    }

    [Fact]
    public void TheUnknownShareSplitsAListsFirstExploreBetweenThePools()
    {
        List<Candidate> ranked = [new("h0", 1), new("k0", 0.5), new("u0", 0.3, Group: UncertaintyPolicy.UnknownGroup)];
        var first = new UncertaintyPolicy(1, budget: 1, unknownShare: 0.3).Distribution(ranked, 1)[0];

        Assert.Equal(0.3, first["u0"], 12);
        Assert.Equal(0.7, first["k0"], 12);
    }

    [Fact]
    public void TheScheduleOfExploitSlotsIsEpsilonGreedys()
    {
        var ranked = ExplorationCandidates.Ranked();
        var epsilon = new EpsilonGreedyPolicy(0.3, 2).Distribution(ranked.Select(c => c with { IsNew = false }).ToList(), 10);
        var uncertainty = new UncertaintyPolicy(0.3, 2).Distribution(ranked, 10);
        for (var p = 0; p < 10; p++)
        {
            for (var h = 0; h < 10; h++)
            {
                Assert.Equal(epsilon[p].GetValueOrDefault($"h{h}"), uncertainty[p].GetValueOrDefault($"h{h}"), 12);
            }
        }
    }
}
