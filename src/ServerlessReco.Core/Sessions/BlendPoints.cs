using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>A point the blend is chosen on: a shopper's events before the held-out one (oldest first), and its item.</summary>
public sealed record BlendPoint(IReadOnlyList<BehaviorEvent> History, string Target);

/// <summary>
/// One held-out click, ready to be scored under any weights: per candidate item, its family scores (model, k-NN,
/// category, popularity, transitions, then repeat at each half-life tried) side by side in one array, so the weight
/// search reads them in order; seen flags; the held-out item's place (−1: none).
/// </summary>
internal sealed class ChoicePoint(double[] scores, int stride, bool[] seen, int target)
{
    /// <summary>Where repeat interest at the first half-life sits among a candidate's scores.</summary>
    public const int RepeatOffset = 5;

    public bool[] Seen { get; } = seen;

    public int Target { get; } = target;

    public double Blend(int c, BlendWeights w, int r)
    {
        var o = c * stride;
        return (w.Model * scores[o]) + (w.Neighbors * scores[o + 1]) + (w.Category * scores[o + 2]) + (w.Popularity * scores[o + 3])
            + (w.Transitions * scores[o + 4]) + (w.Repeat * scores[o + RepeatOffset + r]);
    }

    /// <summary>1 / rank of the held-out item in the blended top <see cref="BlendChoice.K"/>, 0 when it is not there (a hit when positive).</summary>
    public double ReciprocalRank(BlendWeights w, int r)
    {
        if (Target < 0 || (Seen[Target] && w.Repeat <= 0))
        {
            return 0;
        }

        var target = Blend(Target, w, r);
        var above = 0;
        for (var c = 0; c < Seen.Length && above < BlendChoice.K; c++)
        {
            if (c != Target && !(Seen[c] && w.Repeat <= 0) && Blend(c, w, r) is var s && (s > target || (s == target && c < Target)))
            {
                above++;
            }
        }

        return above < BlendChoice.K && target > 0 ? 1.0 / (above + 1) : 0;
    }
}

/// <summary>
/// What every point of a hold-out is scored with: the model and the session index fitted without the held-out visits,
/// the priors, the categories. Each family's scores come from <see cref="CandidateFamilies"/>, the code serving runs.
/// </summary>
internal sealed record ChoiceData(Recommender Recommender, SessionIndex Index, SessionNeighborOptions Neighbors, ItemPriors Priors, Func<string, int> CategoryOf)
{
    /// <summary>Each family's best this many items make a point's candidates: the blended top 20 lies among them.</summary>
    private const int CandidatesPerFamily = 100;

    /// <summary>The point of a shopper with this history (oldest first) and held-out item; null when the model knows none of the history.</summary>
    public ChoicePoint? Point(IReadOnlyList<BehaviorEvent> history, string targetId, IReadOnlyList<double> repeatHalfLives)
    {
        if (Candidates(history, null, repeatHalfLives) is not var (flat, stride, seen, order, _))
        {
            return null;
        }

        var target = Recommender.Artifact.Model.Items.TryGetIndex(targetId, out var t) ? Array.IndexOf(order, t) : -1;
        return new ChoicePoint(flat, stride, seen, target);
    }

    /// <summary>
    /// The point of a shopper back at <paramref name="at"/> after the visit that ended their <paramref name="history"/>
    /// (oldest first), the items their next visit looked at that were new to them its truth; null when the model knows
    /// none of the history. Scored as serving scores a list asked for then, without a session: all their categories.
    /// </summary>
    public ReturningPoint? Returning(IReadOnlyList<BehaviorEvent> history, DateTimeOffset at, IReadOnlySet<string> newItems)
    {
        if (Candidates(history, at, [CandidateFamilies.RecencyHalfLife]) is not var (flat, stride, seen, order, popularity))
        {
            return null;
        }

        var items = Recommender.Artifact.Model.Items;
        var truth = newItems.Select(id => items.TryGetIndex(id, out var i) ? Array.IndexOf(order, i) : -1).Where(c => c >= 0).ToHashSet();
        return new ReturningPoint(new ChoicePoint(flat, stride, seen, -1), popularity, truth, newItems.Count);
    }

    /// <summary>
    /// Each family's best items for this history as one candidate list: the scores side by side, seen flags, the model's
    /// index of each candidate and its popularity (what serving's trending fill orders by); null when the model knows none of the history.
    /// </summary>
    private (double[] Flat, int Stride, bool[] Seen, int[] Order, double[] Popularity)? Candidates(IReadOnlyList<BehaviorEvent> history, DateTimeOffset? now, IReadOnlyList<double> repeatHalfLives)
    {
        var scorer = Recommender.Artifact.Model;
        var n = scorer.Items.Count;
        var (known, affinities) = Recommender.Affinities(history, history[^1].Timestamp);
        if (known.Length == 0)
        {
            return null;
        }

        var training = Recommender.Artifact.Training;
        // A list asked for after the visit ended (a time given) names no session; one within the visit names the visit's.
        var context = new FamilyContext(history, now is null ? history[^1].SessionId : null, scorer.Items, training.Weights, Index, Neighbors, Priors, CategoryOf, Now: now);

        var families = new double[5][];
        using (var scores = UserScores.For(scorer, known, affinities))
        {
            families[0] = scores.Values.ToArray();
        }

        if (!CandidateFamilies.Scale(families[0]))
        {
            Array.Clear(families[0]);
        }

        Family[] kinds = [Family.Neighbors, Family.Category, Family.Popularity, Family.Transitions];
        for (var f = 0; f < kinds.Length; f++)
        {
            families[f + 1] = new double[n];
            CandidateFamilies.Compute(kinds[f], context, families[f + 1]);
        }

        var repeats = new double[repeatHalfLives.Count][];
        for (var r = 0; r < repeats.Length; r++)
        {
            repeats[r] = new double[n];
            CandidateFamilies.Compute(Family.Repeat, context with { RepeatHalfLife = repeatHalfLives[r] }, repeats[r]);
        }

        var banned = history.Where(e => e.Type is EventType.Purchase or EventType.Dismiss).Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
        var seen = history.Where(e => training.Weights.WeightOf(e.Type, e.Value) > 0).Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
        var candidates = new SortedSet<int>();
        foreach (var family in families.Concat(repeats))
        {
            foreach (var i in TopK.Select(family, CandidatesPerFamily))
            {
                if (family[i] > 0 && !banned.Contains(scorer.Items[i]))
                {
                    candidates.Add(i);
                }
            }
        }

        var order = candidates.ToArray();
        var columns = families.Concat(repeats).ToArray();
        return (SideBySide(columns, order), columns.Length, [.. order.Select(i => seen.Contains(scorer.Items[i]))], order, [.. order.Select(i => Priors.Popularity[i])]);
    }

    /// <summary>The candidates' scores, candidate by candidate, each family's score of it in <paramref name="columns"/>' order.</summary>
    private static double[] SideBySide(double[][] columns, int[] order)
    {
        var flat = new double[order.Length * columns.Length];
        for (var c = 0; c < order.Length; c++)
        {
            for (var f = 0; f < columns.Length; f++)
            {
                flat[(c * columns.Length) + f] = columns[f][order[c]];
            }
        }

        return flat;
    }
}
