using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// Chooses a shop's <see cref="BlendWeights"/> on a hold-out of its own training window, as a retrain does: the newest
/// event of each of the most recent shoppers (up to <see cref="MaxPoints"/>) is held out, the model and the session index
/// are fitted on everything else, and each held-out shopper's list is scored from the events before it through the
/// same family code serving runs (<see cref="CandidateFamilies"/>); the weights are chosen by coordinate ascent on
/// HitRate@20 + MRR@20, starting from the model alone, so a family joins only when it helps this shop. As in serving, seen
/// items are candidates only when repeat interest has a weight; bought and dismissed items never.
/// </summary>
public static class BlendSelection
{
    /// <summary>How many held-out shoppers score a setting (enough to tell 0.01 of HitRate apart, cheap beside training).</summary>
    public const int MaxPoints = 2000;

    /// <summary>Each family's best this many items make a point's candidates: the blended top 20 lies among them.</summary>
    private const int CandidatesPerFamily = 100;

    private static readonly double[][] Grid =
    [
        [0, 0.5, 1],
        [0, 0.25, 0.5, 1, 2, 4],
        [0, 0.1, 0.25, 0.5, 1],
        [0, 0.1, 0.25, 0.5, 1, 2],
        [0, 0.05, 0.1, 0.25],
    ];

    /// <summary>The choice for <paramref name="events"/> (the window, any order), or null when too few shoppers have two events.</summary>
    public static BlendChoice? Choose(
        IReadOnlyList<BehaviorEvent> events, TrainerOptions trainer, Func<string, int> categoryOf, SessionNeighborOptions neighbors, CancellationToken cancellationToken = default)
    {
        var weights = trainer.Data.Weights;
        var byUser = events.Where(e => e.Type != EventType.Impression).GroupBy(e => e.UserId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.Timestamp).ToList()).ToList();
        var held = byUser
            .Select(h => (History: h, Target: h.FindLastIndex(e => e.Type != EventType.Dismiss && weights.WeightOf(e.Type, e.Value) > 0)))
            .Where(p => p.Target >= 1 && p.History.Take(p.Target).Any(e => weights.WeightOf(e.Type, e.Value) > 0))
            .OrderByDescending(p => p.History[p.Target].Timestamp).ThenBy(p => p.History[0].UserId, StringComparer.Ordinal)
            .Take(MaxPoints).ToList();
        if (held.Count < 20)
        {
            return null;
        }

        var heldOut = held.Select(p => p.History[p.Target]).ToHashSet();
        var builder = new InteractionMatrixBuilder(trainer.Data);
        foreach (var e in events.Where(e => !heldOut.Contains(e)))
        {
            builder.Add(e);
        }

        var matrix = builder.Build();
        var artifact = Trainer.Train(matrix, trainer, cancellationToken: cancellationToken);
        var items = artifact.Model.Items;
        var context = new ChoiceData(
            new Recommender(artifact), SessionIndex.Build(matrix, neighbors.MaxSessions), neighbors,
            new ItemPriors(artifact.ItemPopularity, [.. Enumerable.Range(0, items.Count).Select(i => categoryOf(items[i]))]), categoryOf);
        var points = new List<ChoicePoint>(held.Count);
        foreach (var (history, target) in held)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.Point(history.Take(target).ToList(), history[target].ItemId) is { } point)
            {
                points.Add(point);
            }
        }

        var (best, bestScore) = (BlendWeights.ModelOnly, Evaluate(points, BlendWeights.ModelOnly));
        var model = bestScore;
        for (var round = 0; round < 3; round++)
        {
            for (var f = 0; f < Grid.Length; f++)
            {
                foreach (var value in Grid[f])
                {
                    var candidate = With(best, f, value);
                    var score = Evaluate(points, candidate);
                    if (score.HitRate + score.Mrr > bestScore.HitRate + bestScore.Mrr + 1e-9 && candidate.Model + candidate.Neighbors + candidate.Category + candidate.Repeat > 0)
                    {
                        (best, bestScore) = (candidate, score);
                    }
                }
            }
        }

        return new BlendChoice(best, neighbors, held.Count, bestScore.HitRate, bestScore.Mrr, model.HitRate, model.Mrr);
    }

    private static BlendWeights With(BlendWeights w, int family, double value) => family switch
    {
        0 => w with { Model = value },
        1 => w with { Neighbors = value },
        2 => w with { Category = value },
        3 => w with { Repeat = value },
        _ => w with { Popularity = value },
    };

    /// <summary>HitRate@20 and MRR@20 of the blended lists; a held-out item outside every family's candidates is a miss.</summary>
    private static (double HitRate, double Mrr) Evaluate(List<ChoicePoint> points, BlendWeights w)
    {
        double hits = 0, reciprocal = 0;
        foreach (var p in points)
        {
            if (p.Target < 0 || (p.Seen[p.Target] && w.Repeat <= 0))
            {
                continue;
            }

            var target = p.Blend(p.Target, w);
            var above = 0;
            for (var c = 0; c < p.Seen.Length && above < BlendChoice.K; c++)
            {
                if (c != p.Target && !(p.Seen[c] && w.Repeat <= 0) && p.Blend(c, w) is var s && (s > target || (s == target && c < p.Target)))
                {
                    above++;
                }
            }

            if (above < BlendChoice.K && target > 0)
            {
                hits++;
                reciprocal += 1.0 / (above + 1);
            }
        }

        var n = Math.Max(1, points.Count);
        return (hits / n, reciprocal / n);
    }

    /// <summary>One held-out shopper: each candidate's five family scores (model, k-NN, category, repeat, popularity), seen flags, the held-out item's place (−1: none).</summary>
    private sealed record ChoicePoint(double[][] Families, bool[] Seen, int Target)
    {
        public double Blend(int c, BlendWeights w) =>
            (w.Model * Families[0][c]) + (w.Neighbors * Families[1][c]) + (w.Category * Families[2][c]) + (w.Repeat * Families[3][c]) + (w.Popularity * Families[4][c]);
    }

    private sealed record ChoiceData(Recommender Recommender, SessionIndex Index, SessionNeighborOptions Neighbors, ItemPriors Priors, Func<string, int> CategoryOf)
    {
        /// <summary>The point of a shopper with this history (oldest first) and held-out item; null when the model knows none of the history.</summary>
        public ChoicePoint? Point(List<BehaviorEvent> history, string targetId)
        {
            var scorer = Recommender.Artifact.Model;
            var n = scorer.Items.Count;
            var (known, affinities) = Recommender.Affinities(history, history[^1].Timestamp);
            if (known.Length == 0)
            {
                return null;
            }

            var training = Recommender.Artifact.Training;
            var context = new FamilyContext(history, history[^1].SessionId, scorer.Items, training.Weights, Index, Neighbors, Priors, CategoryOf);
            var families = new double[5][];
            using (var scores = UserScores.For(scorer, known, affinities))
            {
                families[0] = scores.Values.ToArray();
            }

            if (!CandidateFamilies.Scale(families[0]))
            {
                Array.Clear(families[0]);
            }

            Family[] kinds = [Family.Neighbors, Family.Category, Family.Repeat, Family.Popularity];
            for (var f = 0; f < kinds.Length; f++)
            {
                families[f + 1] = new double[n];
                CandidateFamilies.Compute(kinds[f], context, families[f + 1]);
            }

            var banned = history.Where(e => e.Type is EventType.Purchase or EventType.Dismiss).Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
            var seen = history.Where(e => training.Weights.WeightOf(e.Type, e.Value) > 0).Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
            var candidates = new SortedSet<int>();
            foreach (var family in families)
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
            var target = scorer.Items.TryGetIndex(targetId, out var t) ? Array.IndexOf(order, t) : -1;
            return new ChoicePoint(
                [.. families.Select(f => order.Select(i => f[i]).ToArray())], [.. order.Select(i => seen.Contains(scorer.Items[i]))], target);
        }
    }
}
