using ServerlessReco.Lab.Charts;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

/// <summary>The summary over seeds, built from hand-made runs whose figures are known.</summary>
public class MultiSeedStudyTests
{
    [Fact]
    public void RatiosArePairedWithinASeedBeforeAveraging()
    {
        // Seed 1: 100 vs 120 clicks (1.2×); seed 2: 10 vs 14 (1.4×). Pooled totals would give 134/110 = 1.22.
        var study = Study(Seed(1, 100, 120), Seed(2, 10, 14));

        var explorer = study.Policies[1];
        Assert.Equal(1.3, explorer.ClickRatio.Mean, 12);
        Assert.Equal(67, explorer.Clicks.Mean, 12);
        Assert.Equal(1, study.Policies[0].ClickRatio.Mean, 12);
        Assert.Equal(12.706 * 0.1, explorer.ClickRatio.HalfWidth, 9);   // s = 0.1414, s.e. = 0.1
    }

    [Fact]
    public void NewItemsNeverShownCountAsLaterThanAnyInTheMedianAndAreLeftOutOfTheMean()
    {
        var study = Study(Seed(1, 100, 120), Seed(2, 10, 14));

        // Explorer's new items over both seeds: shown after 0, 2, never, 0, 1, never days.
        var shown = study.Policies[1].FirstShown;
        Assert.Equal(6, shown.Items);
        Assert.Equal(1.5, shown.MedianDays, 12);                 // 0 0 1 2 ∞ ∞
        Assert.Equal(((2 / 2.0) + (1 / 2.0)) / 2, shown.MeanDays.Mean, 12);
        Assert.Equal(1 / 3.0, shown.NeverShare.Mean, 12);
        Assert.Equal(1 / 3.0, shown.FirstDayShare.Mean, 12);
        Assert.True(double.IsPositiveInfinity(study.Policies[0].FirstShown.MedianDays), "exploitation showed none of them");
    }

    [Fact]
    public void TheChartsDrawTheMeanOverSeedsOfClicksAndDistinctItems()
    {
        var study = Study(Seed(1, 100, 120), Seed(2, 10, 14));

        var mean = study.MeanRuns[1];
        Assert.Equal([33.5, 33.5], mean.RewardByRound);
        Assert.Equal([15, 25], mean.DistinctShownByRound);
        var svg = SimulationChart.CoverageSvg(study.MeanRuns);
        Assert.Contains("distinct items shown so far", svg, StringComparison.Ordinal);
        Assert.Contains("explorer", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void OffPolicyGapsAreSummarisedOverSeeds()
    {
        var study = Study(Seed(1, 100, 120), Seed(2, 10, 14));

        var target = Assert.Single(study.OffPolicy);
        Assert.Equal(0, target.Explore);
        Assert.Equal(0.05, target.GapToCounterfactual.Mean, 12);   // IPS 0.021 vs 0.020 on both seeds
        Assert.Equal(0.05, target.GapToClosedLoop!.Value.Mean, 12);
    }

    private static MultiSeedStudyResult Study(params SimulationStudyResult[] seeds) => new("test", seeds);

    private static SimulationStudyResult Seed(int seed, double exploitationClicks, double explorerClicks)
    {
        var exploitation = Run("exploitation", exploitationClicks, [10, 10], [New(null), New(null), New(null)]);
        var explorer = Run("explorer", explorerClicks, seed == 1 ? [10, 20] : [20, 30], seed == 1 ? [New(0), New(2), New(null)] : [New(0), New(1), New(null)]);
        var estimate = new Core.Exploration.RateEstimate(0, new(0.021, 0.001, 100, 100), new(0.021, 0.001, 100, 100));
        return new SimulationStudyResult(new ServingSimulationOptions { Seed = seed }, [exploitation, explorer], [new OffPolicyComparison(0, estimate, 0.020, 0.020)]);
    }

    private static ServingSimulationRun Run(string policy, double clicks, double[] distinct, NewItemExposure[] newItems) =>
        new(new SimulationResult(policy, clicks, clicks, 2 * clicks, clicks, 0.5, 0.5, [clicks / 2, clicks / 2]) { DistinctShownByRound = distinct, NewItems = newItems },
            1, 1, 100, [], TimeSpan.Zero);

    private static NewItemExposure New(double? days) => new("item", 8, days, null);
}
