namespace ServerlessReco.Lab.Simulation;

/// <summary>What one policy earned in one simulated shop (<see cref="ServingSimulation"/>).</summary>
/// <param name="CumulativeReward">Clicks earned.</param>
/// <param name="ExpectedReward">Expected clicks: the sum of the true click probabilities of every slot shown (far less noisy than clicks).</param>
/// <param name="Regret">Expected clicks of the oracle's lists (the true top items of each user at that round)
/// minus the expected clicks of the served lists.</param>
/// <param name="Coverage">Share of the final catalogue shown at least once.</param>
/// <param name="ExposureGini">Gini coefficient of impressions over the final catalogue (0 even, 1 one item).</param>
/// <param name="RewardByRound">Clicks per round.</param>
public sealed record SimulationResult(string Policy, double CumulativeReward, double ExpectedReward, double OracleReward,
    double Regret, double Coverage, double ExposureGini, IReadOnlyList<double> RewardByRound)
{
    /// <summary>Purchases that followed a click on a recommended item.</summary>
    public double Purchases { get; init; }

    /// <summary>Distinct items shown at least once so far, at the end of each served round.</summary>
    public IReadOnlyList<double> DistinctShownByRound { get; init; } = [];

    /// <summary>Every item that arrived on a served day, with how long it waited to be shown and clicked.</summary>
    public IReadOnlyList<NewItemExposure> NewItems { get; init; } = [];

    /// <summary>Distinct items shown at least once in the run.</summary>
    public double DistinctShown => DistinctShownByRound.Count == 0 ? 0 : DistinctShownByRound[^1];

    /// <summary>Expected clicks (the true click probabilities of what was shown, summed) per round.</summary>
    public IReadOnlyList<double> ExpectedByRound { get; init; } = [];

    /// <summary>The oracle arm run beside the policy in the same shop (<see cref="OracleArm"/>), when the run had one.</summary>
    public OracleArmResult? Oracle { get; init; }

    /// <summary>Whether the policy explores (a rate above 0); false: the model's order alone, explore=0.</summary>
    public bool Exploring { get; init; }

    /// <summary>Whether the product ran its click model in this run (trained at retrain, re-ranking once its gate lets it).</summary>
    public bool ClickModel { get; init; }

    /// <summary>The policy's expected clicks as a share of the oracle arm's; NaN without an oracle arm.</summary>
    public double OracleShare => Oracle is { ExpectedClicks: > 0 } oracle ? ExpectedReward / oracle.ExpectedClicks : double.NaN;
}

/// <summary>How evenly exposure is spread.</summary>
public static class Exposure
{
    /// <summary>Gini coefficient of non-negative values: Σ_i (2i − n − 1)·x_(i) / (n·Σx), x sorted ascending, i from 1.</summary>
    public static double Gini(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var total = sorted.Sum();
        if (n == 0 || total == 0)
        {
            return 0;
        }

        double weighted = 0;
        for (var i = 0; i < n; i++)
        {
            weighted += (2.0 * (i + 1) - n - 1) * sorted[i];
        }

        return weighted / (n * total);
    }
}
