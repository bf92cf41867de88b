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

    public static string FirstModel(bool beatsPopularity, int k, ModelScores challenger, ModelScores popularity) => beatsPopularity
        ? $"first model: nDCG@{k} {challenger.Ndcg:F4} beats popularity {popularity.Ndcg:F4}"
        : $"first model: nDCG@{k} {challenger.Ndcg:F4} does not beat popularity {popularity.Ndcg:F4}";

    /// <summary>The challenger against the champion: which figure (if any) fell beyond the tolerance, then the figures.</summary>
    public static string AgainstChampion(bool ndcgOk, bool coverageOk, int k, ModelScores challenger, ModelScores champion, string? championVersion, double tolerance)
    {
        var figures = $"nDCG@{k} {challenger.Ndcg:F4} vs champion {championVersion} {champion.Ndcg:F4}, coverage {challenger.Coverage:F4} vs {champion.Coverage:F4}, tolerance {tolerance:P1}";
        return (ndcgOk, coverageOk) switch
        {
            (true, true) => $"not worse than the champion: {figures}",
            (false, true) => $"nDCG@{k} worse than the champion beyond the tolerance: {figures}",
            (true, false) => $"coverage worse than the champion beyond the tolerance: {figures}",
            _ => $"nDCG@{k} and coverage worse than the champion beyond the tolerance: {figures}",
        };
    }

    /// <summary>What the pointer records as the reason of a promotion.</summary>
    public static string Promotion(string gateReason) => $"retrain: {gateReason}";

    public static string LostRace(string gateReason) =>
        $"passed the gate ({gateReason}) but another run changed models/current.json first; left unpromoted";
}
