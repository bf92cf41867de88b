using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.TestSupport;

/// <summary>Click models in the real format (trees, calibration, counts), built by hand so a test knows their answer.</summary>
public static class HandBuiltClickModels
{
    /// <summary>
    /// One tree on the item's smoothed click-through rate (feature <c>item.ctr</c>): above 0.5 the log-odds are +3, below
    /// −3. The favoured items were shown 100 times and engaged 90, last three days before <paramref name="now"/>; no other
    /// item was ever shown, so its rate is the 5 % prior.
    /// </summary>
    public static ClickModel Favouring(IEnumerable<string> favoured, DateTimeOffset now)
    {
        var tree = new RegressionTreeNodes([~0], [~1], [Array.IndexOf(ClickFeatures.Names, "item.ctr")], [0.5f], [-3, 3]);
        var items = favoured.Distinct(StringComparer.Ordinal).ToDictionary(i => i, _ => new ItemExposure(100, 90, now.AddDays(-3).UtcTicks), StringComparer.Ordinal);
        var exposures = new ClickExposures(items, new Dictionary<string, UserExposure>(StringComparer.Ordinal), new Dictionary<(string, string), PairExposure>());
        return new ClickModel(new TreeEnsemble([tree], 0, ClickFeatures.Count), PlattCalibration.Identity, exposures, 0.05, new ClickModelFigures(0, 0, 0, 0, 0.5, 0, 0, 0, "none"));
    }
}
