using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>
/// The uncertainty policy's posteriors start from the click model's prediction where there is one, as sure as the
/// showings of the item the model learnt from: an item the model can already predict is not explored again and again.
/// </summary>
public sealed class ClickModelPriorTests
{
    /// <summary>Five head items, then the model's pool: <paramref name="pool"/>, no unknown pool (every explore draws from it).</summary>
    private static List<Candidate> Ranked(params Candidate[] pool) =>
        [.. Enumerable.Range(0, 5).Select(i => new Candidate($"h{i}", 1 - (i * 0.01), Clicks: 3, Impressions: 40)), .. pool];

    /// <summary>The probability that a list's explore slots show the item, summed over positions.</summary>
    private static double Shown(UncertaintyPolicy policy, List<Candidate> ranked, string item) =>
        policy.Distribution(ranked, 5).Sum(position => position.GetValueOrDefault(item));

    /// <summary>How likely a list at <paramref name="explore"/> (two explore slots) shows each item of <paramref name="pool"/>.</summary>
    private static Func<string, double> ShownAt(double explore, params Candidate[] pool)
    {
        var policy = new UncertaintyPolicy(explore, 2);
        var ranked = Ranked(pool);
        return item => Shown(policy, ranked, item);
    }

    [Fact]
    public void OfTwoItemsPredictedAlikeTheOneTheModelRarelySawShownIsExploredMoreOften()
    {
        var shown = ShownAt(
            0.1,
            new Candidate("known", 0.5, Predicted: 0.04, Showings: 2000),
            new Candidate("unsure", 0.5, Predicted: 0.04, Showings: 0),
            new Candidate("other", 0.4, Predicted: 0.02, Showings: 2000));

        var known = shown("known");
        var unsure = shown("unsure");

        Assert.True(unsure > 2 * known, $"unsure {unsure:F4}, known {known:F4}");
        Assert.True(known > 0); // still drawn sometimes: every pool member keeps a propensity above 0
    }

    [Fact]
    public void AnItemTheModelPredictsWellAndSawOftenIsDrawnByItsPredictionNotItsRankScore()
    {
        // Equal scores (the collaborative model cannot tell them apart); the click model is sure that one is clicked far more.
        var shown = ShownAt(
            0.1,
            new Candidate("likely", 0.5, Predicted: 0.3, Showings: 400),
            new Candidate("unlikely", 0.5, Predicted: 0.01, Showings: 400),
            new Candidate("also-likely", 0.4, Predicted: 0.3, Showings: 400));

        Assert.True(shown("likely") > 5 * shown("unlikely"));
    }

    [Fact]
    public void RecentShowingsTheItemsOwnCountsHoldAreNotCountedTwice()
    {
        // 300 of the model's 300 showings are the item's own recent impressions: the prior gains nothing from them, so the
        // posterior is what it would be for an item the model never saw shown, with the same counts.
        var seen = ShownAt(0.5, new Candidate("a", 0.5, Clicks: 3, Impressions: 300, Predicted: 0.05, Showings: 300), new Candidate("b", 0.4, Predicted: 0.05));
        var unseen = ShownAt(0.5, new Candidate("a", 0.5, Clicks: 3, Impressions: 300, Predicted: 0.05, Showings: 0), new Candidate("b", 0.4, Predicted: 0.05));

        Assert.Equal(unseen("a"), seen("a"), 12);
    }

    [Fact]
    public void WithoutAPredictionTheScoreRuleStandsAndPropensitiesStayExact()
    {
        var policy = new UncertaintyPolicy(0.5, 2);
        var plain = Ranked(new Candidate("a", 0.6), new Candidate("b", 0.4), new Candidate("c", 0.2));
        var predicted = Ranked(new Candidate("a", 0.6, Predicted: 0.01, Showings: 800), new Candidate("b", 0.4), new Candidate("c", 0.2));

        Assert.True(Shown(policy, plain, "a") > Shown(policy, plain, "c")); // by score: a first
        Assert.True(Shown(policy, predicted, "a") < Shown(policy, predicted, "c")); // the model is sure a is rarely clicked
        var random = new Random(3);
        var distribution = policy.Distribution(predicted, 5);
        for (var run = 0; run < 200; run++)
        {
            Assert.All(policy.Select(predicted, 5, random), slot => Assert.Equal(distribution[slot.Position][slot.ItemId], slot.Propensity, 12));
        }
    }
}
