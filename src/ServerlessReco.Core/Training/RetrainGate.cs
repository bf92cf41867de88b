using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>The gate's verdict on a challenger, and why.</summary>
public sealed record GateDecision(bool Passed, string Reason);

/// <summary>
/// The decide step: promote when the challenger is within the tolerance of the champion on nDCG@K and coverage;
/// with no champion, only when it beats popularity. <c>auto</c> chooses its challenger by the same rule.
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

        var (ndcgOk, coverageOk) = Holds(challenger, champion, options.Tolerance);
        return new GateDecision(
            ndcgOk && coverageOk,
            RetrainReasons.AgainstChampion(ndcgOk, coverageOk, options.K, challenger, champion, scores.ChampionVersion, options.Tolerance));
    }

    /// <summary>Whether <paramref name="challenger"/> is within the tolerance of <paramref name="other"/> on nDCG@K, and on coverage.</summary>
    public static (bool Ndcg, bool Coverage) Holds(ModelScores challenger, ModelScores other, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(other);
        var floor = 1 - tolerance;
        return (challenger.Ndcg >= (other.Ndcg * floor) - 1e-12, challenger.Coverage >= (other.Coverage * floor) - 1e-12);
    }

    /// <summary>
    /// Which of several kinds fitted on one hold-out <c>auto</c> promotes: the best nDCG@K among those the gate would
    /// let through against every other (within the tolerance on nDCG and coverage), so that auto never picks a kind the
    /// gate then keeps out against a champion of the other kind refitted on the same data, leaving an old model serving;
    /// when none holds against all, the champion's kind (<paramref name="championKind"/>, its index or −1): with unchanged
    /// settings a fresh fit of it scores as the refitted champion does, so the gate lets it through and the served model stays fresh;
    /// without one, the best nDCG@K. Ties keep the earlier kind.
    /// </summary>
    public static int ChooseKind(IReadOnlyList<ModelScores> scores, double tolerance, int championKind = -1)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int best = -1, bestHolding = -1;
        for (var i = 0; i < scores.Count; i++)
        {
            best = best < 0 || scores[i].Ndcg > scores[best].Ndcg ? i : best;
            var holds = Enumerable.Range(0, scores.Count).All(j => j == i || Holds(scores[i], scores[j], tolerance) is (true, true));
            bestHolding = holds && (bestHolding < 0 || scores[i].Ndcg > scores[bestHolding].Ndcg) ? i : bestHolding;
        }

        return bestHolding >= 0 ? bestHolding : championKind >= 0 && championKind < scores.Count ? championKind : best;
    }
}
