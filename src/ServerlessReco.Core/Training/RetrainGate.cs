namespace ServerlessReco.Core.Training;

/// <summary>The gate's verdict on a challenger, and why.</summary>
public sealed record GateDecision(bool Passed, string Reason);

/// <summary>
/// The decide step: promote when the challenger is within the tolerance of the champion on nDCG@K and coverage;
/// with no champion, only when it beats popularity.
/// </summary>
public static class RetrainGate
{
    public static GateDecision Decide(HoldOutScores scores, RetrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        var (challenger, popularity, champion) = (scores.Challenger, scores.Popularity, scores.Champion);
        if (challenger.Users == 0)
        {
            return new GateDecision(false, RetrainReasons.EmptyHoldOut);
        }

        if (champion is null)
        {
            var beats = challenger.Ndcg > popularity.Ndcg;
            return new GateDecision(beats, RetrainReasons.FirstModel(beats, options.K, challenger, popularity));
        }

        var floor = 1 - options.Tolerance;
        var ndcgOk = challenger.Ndcg >= champion.Ndcg * floor - 1e-12;
        var coverageOk = challenger.Coverage >= champion.Coverage * floor - 1e-12;
        return new GateDecision(
            ndcgOk && coverageOk,
            RetrainReasons.AgainstChampion(ndcgOk, coverageOk, options.K, challenger, champion, scores.ChampionVersion, options.Tolerance));
    }
}
