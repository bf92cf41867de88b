using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>The ranked candidates the exploration policies' tests draw lists of 10 from.</summary>
internal static class ExplorationCandidates
{
    /// <summary>
    /// 10 head items, 12 of the model's pool (one new) and 12 unknown items (some new, some never shown), with varied
    /// feedback and scores.
    /// </summary>
    public static List<Candidate> Ranked()
    {
        var ranked = new List<Candidate>();
        for (var i = 0; i < 10; i++)
        {
            ranked.Add(new Candidate($"h{i}", 1 - (i * 0.01), Clicks: 3, Impressions: 40));
        }

        for (var i = 0; i < 12; i++)
        {
            ranked.Add(new Candidate($"k{i}", 0.8 - (i * 0.02), IsNew: i == 3, Clicks: i % 3, Impressions: i * 4));
        }

        for (var i = 0; i < 12; i++)
        {
            ranked.Add(new Candidate($"u{i}", 0.2 + (i % 4 * 0.1), IsNew: i % 5 == 0, Clicks: 0, Impressions: i % 3 == 0 ? 0 : i, Group: UncertaintyPolicy.UnknownGroup));
        }

        return ranked;
    }
}
