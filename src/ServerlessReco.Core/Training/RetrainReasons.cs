using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Every sentence a retrain gives for its decision (in <see cref="RetrainResult.Reason"/>, the version record's gate
/// reason and the pointer's promotion reason), written here once.
/// </summary>
public static class RetrainReasons
{
    public const string LeaseHeld = "another retrain holds the store's retrain lease (training/retrain-lease.json); this run did nothing";

    public const string LeaseLost = "the run lost the store's retrain lease part-way and stopped; the next run starts again";

    public const string EmptyHoldOut = "the hold-out is empty (no user has enough items to hold some out)";

    public static string NothingChanged(RetrainState lastRun, long eventCount) =>
        $"nothing changed since the run of {lastRun.RanAt:u} ({eventCount:N0} events, newest {lastRun.Watermark.NewestEvent:u})";

    public static string TooFewEvents(long events, int minimum) =>
        $"too few events to train: {events:N0} in the window, at least {minimum:N0} needed";

    /// <summary>The first model against popularity: not worse beyond noise, or worse, with the interval.</summary>
    public static string FirstModel(int k, ModelScores challenger, ModelScores popularity, GateComparison againstPopularity, double standardErrors)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentNullException.ThrowIfNull(againstPopularity);
        var figures = $"nDCG@{k} {challenger.Ndcg:F4} vs popularity {popularity.Ndcg:F4}, {Interval(againstPopularity, standardErrors)}";
        return againstPopularity.NotWorse
            ? $"first model: not worse than popularity beyond noise: {figures}"
            : $"first model: nDCG@{k} worse than popularity beyond noise: {figures}";
    }

    /// <summary>The challenger against the champion (and popularity): which figure (if any) fell beyond noise and the tolerance, then the figures.</summary>
    public static string AgainstChampion(GateVerdicts verdicts, int k, ModelScores challenger, ModelScores champion, string? championVersion, double tolerance, double standardErrors)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(champion);
        var figures = $"nDCG@{k} {challenger.Ndcg:F4} vs champion {championVersion} {champion.Ndcg:F4}, {Interval(verdicts.Champion, standardErrors)}; "
            + $"coverage {challenger.Coverage:F4} vs {champion.Coverage:F4}, tolerance {tolerance:P1}; vs popularity {Interval(verdicts.Popularity, standardErrors)}";
        var failed = new List<string>(3);
        if (!verdicts.Champion.NotWorse)
        {
            failed.Add($"nDCG@{k} worse than the champion beyond noise");
        }

        if (!verdicts.Coverage)
        {
            failed.Add("coverage worse than the champion beyond the tolerance");
        }

        if (!verdicts.Popularity.NotWorse)
        {
            failed.Add($"nDCG@{k} worse than popularity beyond noise");
        }

        return failed.Count == 0 ? $"not worse than the champion: {figures}" : $"{string.Join(" and ", failed)}: {figures}";
    }

    /// <summary>A paired difference as people read it: "difference +0.0012 ± 0.0030 (1.96 s.e., 1,526 users)".</summary>
    public static string Interval(GateComparison comparison, double standardErrors)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return $"difference {comparison.Difference:+0.0000;-0.0000;0.0000} ± {standardErrors * comparison.StandardError:F4} ({standardErrors:0.##} s.e., {comparison.Users:N0} users)";
    }

    /// <summary>Why a version carries content vectors: how many items' informative texts have one.</summary>
    public static string ContentUsed(int items, int pending) => pending == 0
        ? $"{items:N0} items with informative texts have content vectors"
        : $"{items:N0} items with informative texts have content vectors, {pending:N0} wait for a later run";

    /// <summary>What the pointer records as the reason of a promotion.</summary>
    public static string Promotion(string gateReason) => $"retrain: {gateReason}";

    public static string LostRace(string gateReason) =>
        $"passed the gate ({gateReason}) but another run changed models/current.json first; left unpromoted";
}

/// <summary>The gate's three checks of a challenger that has a champion: nDCG@K against it, coverage, nDCG@K against popularity.</summary>
public sealed record GateVerdicts(GateComparison Champion, bool Coverage, GateComparison Popularity);
