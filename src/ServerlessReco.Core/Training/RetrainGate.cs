using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>The gate's verdict on a challenger, why, and the intervals it rests on.</summary>
public sealed record GateDecision(bool Passed, string Reason, GateRecord? Record = null);

/// <summary>
/// The decide step. The challenger is promoted unless it is worse beyond noise: its per-user nDCG@K minus the
/// champion's (and minus popularity's), paired on the hold-out users, has an interval of
/// <see cref="RetrainOptions.StandardErrors"/> standard errors whose upper end stays below −tolerance × the other's
/// nDCG@K; coverage must also be within the tolerance of the champion's. The first model of a shop faces popularity
/// alone. <c>auto</c> chooses its challenger by the same rule.
/// </summary>
/// <remarks>
/// Why intervals: on a shop whose hold-out users each hold one or two items, nDCG@10 of any model is a few
/// thousandths, and a difference of 0.0002 between two means of 1,500 users is far inside the noise; a rule on the
/// means alone kept a first model out on such a difference and nothing served. With 0 standard errors the rule is
/// the old one on the means (challenger ≥ (1 − tolerance) × other).
/// </remarks>
public static class RetrainGate
{
    public static GateDecision Decide(HoldOutScores scores, RetrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        var (challenger, popularity, champion) = (scores.Challenger, scores.Popularity, scores.Champion);
        if (challenger.Scores.Users == 0)
        {
            return new GateDecision(false, RetrainReasons.EmptyHoldOut);
        }

        var (z, tolerance) = (options.StandardErrors, options.Tolerance);
        var againstPopularity = Compare(challenger, popularity, tolerance, z);
        if (champion is null)
        {
            var record = new GateRecord { StandardErrors = z, Tolerance = tolerance, AgainstPopularity = againstPopularity };
            return new GateDecision(againstPopularity.NotWorse, RetrainReasons.FirstModel(options.K, challenger.Scores, popularity.Scores, againstPopularity, z), record);
        }

        var againstChampion = Compare(challenger, champion, tolerance, z);
        var coverageOk = CoverageHolds(challenger.Scores, champion.Scores, tolerance);
        var gate = new GateRecord
        {
            StandardErrors = z, Tolerance = tolerance, AgainstChampion = againstChampion, AgainstPopularity = againstPopularity, CoverageHolds = coverageOk,
        };
        var reason = RetrainReasons.AgainstChampion(
            new(againstChampion, coverageOk, againstPopularity), options.K, challenger.Scores, champion.Scores, scores.ChampionVersion, tolerance, z);
        return new GateDecision(againstChampion.NotWorse && coverageOk && againstPopularity.NotWorse, reason, gate);
    }

    /// <summary>
    /// <paramref name="challenger"/> − <paramref name="other"/> on nDCG@K, paired per user, and whether its interval of
    /// <paramref name="standardErrors"/> standard errors reaches −<paramref name="tolerance"/> × the other's nDCG@K.
    /// </summary>
    public static GateComparison Compare(ScoredModel challenger, ScoredModel other, double tolerance, double standardErrors)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(other);
        var d = PairedDifference.Between(challenger.UserNdcg, other.UserNdcg);
        var floor = -tolerance * other.Scores.Ndcg;
        var upper = d.Upper(standardErrors);
        return new GateComparison(d.Users, d.Mean, d.StandardError, d.Lower(standardErrors), upper, floor, upper >= floor - 1e-12);
    }

    /// <summary>Whether the challenger's catalogue coverage is within the tolerance of the other's (a share of it).</summary>
    public static bool CoverageHolds(ModelScores challenger, ModelScores other, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(other);
        return challenger.Coverage >= (other.Coverage * (1 - tolerance)) - 1e-12;
    }

    /// <summary>Whether the gate would let <paramref name="challenger"/> through against <paramref name="other"/>: nDCG@K not worse beyond noise, and coverage.</summary>
    public static bool Holds(ScoredModel challenger, ScoredModel other, double tolerance, double standardErrors)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(other);
        return Compare(challenger, other, tolerance, standardErrors).NotWorse && CoverageHolds(challenger.Scores, other.Scores, tolerance);
    }

    /// <summary>
    /// Which of several kinds fitted on one hold-out <c>auto</c> promotes: the best nDCG@K among those the gate would
    /// let through against every other (<see cref="Holds"/>), so that auto never picks a kind the gate then keeps out
    /// against a champion of the other kind refitted on the same data, leaving an old model serving; when none holds
    /// against all, the champion's kind (<paramref name="championKind"/>, its index or −1): with unchanged settings a
    /// fresh fit of it scores as the refitted champion does, so the gate lets it through and the served model stays
    /// fresh; without one, the best nDCG@K. Ties keep the earlier kind.
    /// </summary>
    public static int ChooseKind(IReadOnlyList<ScoredModel> scores, double tolerance, double standardErrors, int championKind = -1)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int best = -1, bestHolding = -1;
        for (var i = 0; i < scores.Count; i++)
        {
            var ndcg = scores[i].Scores.Ndcg;
            best = best < 0 || ndcg > scores[best].Scores.Ndcg ? i : best;
            var holds = Enumerable.Range(0, scores.Count).All(j => j == i || Holds(scores[i], scores[j], tolerance, standardErrors));
            bestHolding = holds && (bestHolding < 0 || ndcg > scores[bestHolding].Scores.Ndcg) ? i : bestHolding;
        }

        return bestHolding >= 0 ? bestHolding : championKind >= 0 && championKind < scores.Count ? championKind : best;
    }
}
