using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// Chooses a shop's <see cref="BlendWeights"/> on a hold-out of its own training window, as a retrain does: the newest
/// visits (each shopper's last) are held out whole until they hold <see cref="MaxPoints"/> clicks or are a fifth of the
/// visits, the model and the session index are fitted on everything else, and after each click of a held-out visit the
/// next is the target, its list scored from the events before it through the same family code serving runs
/// (<see cref="CandidateFamilies"/>). For each repeat half-life tried the weights are chosen by coordinate ascent on
/// HitRate@20 + MRR@20 from the model alone, so a family joins only when it helps this shop; of those candidates (and the
/// model alone) the best HitRate wins, and candidates within one standard error of it are a tie that the higher MRR breaks
/// (see <see cref="Pick"/>). As in serving, seen items are candidates only when repeat interest has a weight; bought and
/// dismissed items never. The newest returns (a visit after one that had ended) are held out as well, and the weights
/// for a shopper back after their visit ended are chosen on them (<see cref="ReturningSelection"/>).
/// </summary>
public static class BlendSelection
{
    /// <summary>How many held-out clicks score a setting (enough to tell 0.02 of HitRate apart, cheap beside training).</summary>
    public const int MaxPoints = 2000;

    /// <summary>At most this share of the visits with a point is held out: the model still learns from the rest.</summary>
    public const double MaxHeldOutShare = 0.2;

    /// <summary>Per family (model, k-NN, category, repeat, popularity, transitions) the weights tried; only their ratios matter.</summary>
    private static readonly double[][] Grid =
    [
        [0, 0.5, 1, 2],
        [0, 0.5, 1, 2, 4, 8],
        [0, 0.1, 0.25, 0.5, 1],
        [0, 0.25, 0.5, 1, 2, 4, 8, 16],
        [0, 0.05, 0.1, 0.25],
        [0, 0.25, 0.5, 1, 2, 4],
    ];

    /// <summary>
    /// The repeat family's half-lives tried (events back from the newest): a shop whose shoppers click the same item
    /// again at once (a gallery, a second look) wants a steep one, a shop where they compare over a visit a flat one.
    /// </summary>
    public static IReadOnlyList<double> RepeatHalfLives { get; } = [0.5, 1, CandidateFamilies.RecencyHalfLife];

    /// <summary>The choice for <paramref name="events"/> (the window, any order), or null when too few shoppers have two events.</summary>
    public static BlendChoice? Choose(
        IReadOnlyList<BehaviorEvent> events, TrainerOptions trainer, Func<string, int> categoryOf, SessionNeighborOptions neighbors, CancellationToken cancellationToken = default)
    {
        var weights = trainer.Data.Weights;
        var byUser = events.Where(e => e.Type != EventType.Impression).GroupBy(e => e.UserId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.Timestamp).ToList()).ToList();
        // The newest visits, whole: a visit served after the retrain is not in its training either, and each of its
        // clicks is a point, as serving answers after every click.
        var visits = byUser.Select(h => (History: h, Cuts: CutsOf(h, weights))).Where(v => v.Cuts.Length > 0)
            .OrderByDescending(v => v.History[^1].Timestamp).ThenBy(v => v.History[0].UserId, StringComparer.Ordinal).ToList();
        var held = new List<BlendPoint>();
        var heldOut = new HashSet<BehaviorEvent>();
        var maxVisits = (int)Math.Ceiling(visits.Count * MaxHeldOutShare);
        var heldVisits = 0;
        foreach (var (history, cuts) in visits.Take(maxVisits).TakeWhile(_ => held.Count < MaxPoints))
        {
            held.AddRange(cuts.Select(t => new BlendPoint(history.Take(t).ToList(), history[t].ItemId)));
            heldOut.UnionWith(CandidateFamilies.CurrentVisit(history, history[^1].SessionId));
            heldVisits++;
        }

        if (held.Count < 20)
        {
            return null;
        }

        // The newest returns too (a visit after one that ended): the lists served later answer them, not a next click.
        var returns = byUser.Select(h => Return(h, weights)).OfType<HeldReturn>().OrderByDescending(r => r.At).ThenBy(r => r.History[0].UserId, StringComparer.Ordinal)
            .Take(Math.Min(ReturningSelection.MaxReturns, maxVisits)).ToList();
        foreach (var r in returns)
        {
            heldOut.UnionWith(r.Visit);
        }

        return ChooseOn(events.Where(e => !heldOut.Contains(e)), held, returns, trainer, categoryOf, neighbors, cancellationToken) with { Visits = heldVisits };
    }

    /// <summary>A held-out return: the shopper's events before their newest visit, when it started, its events, and the items it looked at that were new to them.</summary>
    private sealed record HeldReturn(IReadOnlyList<BehaviorEvent> History, DateTimeOffset At, IReadOnlyList<BehaviorEvent> Visit, IReadOnlySet<string> NewItems);

    /// <summary>
    /// The shopper's newest visit as a return, when it comes after an earlier visit that had ended by its start (as
    /// serving tells: <see cref="CandidateFamilies.VisitEnded"/>) and looks at an item new to them; else null.
    /// </summary>
    private static HeldReturn? Return(List<BehaviorEvent> history, EventWeights weights)
    {
        var visit = CandidateFamilies.CurrentVisit(history, history[^1].SessionId);
        var start = history.IndexOf(visit[0]);
        var before = history.Take(start).ToList();
        if (!before.Any(e => weights.WeightOf(e.Type, e.Value) > 0) || !CandidateFamilies.VisitEnded(before, null, visit[0].Timestamp))
        {
            return null;
        }

        var known = before.Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
        var looked = visit.Where(e => e.Type != EventType.Dismiss && weights.WeightOf(e.Type, e.Value) > 0 && !known.Contains(e.ItemId)).Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
        return looked.Count > 0 ? new HeldReturn(before, visit[0].Timestamp, visit, looked) : null;
    }

    /// <summary>
    /// The places of a shopper's history (oldest first) in their last visit with a positive weight and a positive-weight
    /// event before them, but for the funnel of a look already made: a favourite, cart or purchase of an item the shopper
    /// already had an event on is what they did with the item they looked at, not a choice of what to look at next. As
    /// targets those (a tenth of a shop log's events) taught the blend that a shop's next item is the one just seen.
    /// </summary>
    private static int[] CutsOf(List<BehaviorEvent> history, EventWeights weights)
    {
        var visit = CandidateFamilies.CurrentVisit(history, history[^1].SessionId).ToHashSet();
        var first = history.FindIndex(e => weights.WeightOf(e.Type, e.Value) > 0);
        return first < 0
            ? []
            : [.. Enumerable.Range(first + 1, history.Count - first - 1)
                .Where(t => visit.Contains(history[t]) && history[t].Type != EventType.Dismiss && weights.WeightOf(history[t].Type, history[t].Value) > 0 && !IsFunnel(history, t))];
    }

    private static bool IsFunnel(List<BehaviorEvent> history, int t) =>
        history[t].Type is EventType.Favorite or EventType.AddToCart or EventType.Purchase && history.Take(t).Any(p => p.ItemId == history[t].ItemId);

    /// <summary>The choice on given points: the model and the session index fitted on <paramref name="training"/>, each point's list scored from its history.</summary>
    private static BlendChoice ChooseOn(
        IEnumerable<BehaviorEvent> training, IReadOnlyList<BlendPoint> held, IReadOnlyList<HeldReturn> returns, TrainerOptions trainer, Func<string, int> categoryOf, SessionNeighborOptions neighbors,
        CancellationToken cancellationToken)
    {
        var builder = new InteractionMatrixBuilder(trainer.Data);
        foreach (var e in training)
        {
            builder.Add(e);
        }

        var matrix = builder.Build();
        var artifact = Trainer.Train(matrix, trainer, cancellationToken: cancellationToken);
        var items = artifact.Model.Items;
        var context = new ChoiceData(
            new Recommender(artifact), SessionIndex.Build(matrix, neighbors.MaxSessions), neighbors,
            new ItemPriors(artifact.ItemPopularity, [.. Enumerable.Range(0, items.Count).Select(i => categoryOf(items[i]))], items.Ids), categoryOf);
        var points = new List<ChoicePoint>(held.Count);
        foreach (var (history, target) in held)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.Point(history, target, RepeatHalfLives) is { } point)
            {
                points.Add(point);
            }
        }

        // The model alone, then per half-life the ascent's best: the candidates Pick chooses among.
        var tried = new List<(double HalfLife, BlendWeights Weights, double[] Ranks)>
        {
            (CandidateFamilies.RecencyHalfLife, BlendWeights.ModelOnly, Ranks(points, BlendWeights.ModelOnly, 0)),
        };
        for (var r = 0; r < RepeatHalfLives.Count; r++)
        {
            var weights = Ascend(points, r);
            tried.Add((RepeatHalfLives[r], weights, Ranks(points, weights, r)));
        }

        var chosen = Pick([.. tried.Select(t => t.Ranks)]);
        var candidates = tried.Select((t, i) => new BlendCandidate(t.HalfLife, t.Weights, HitRate(t.Ranks, held.Count), Mrr(t.Ranks, held.Count)) { Chosen = i == chosen }).ToList();
        var (best, model) = (candidates[chosen], candidates[0]);
        var returning = returns.Select(r => context.Returning(r.History, r.At, r.NewItems)).OfType<ReturningPoint>().ToList();
        return new BlendChoice(best.Weights, neighbors, held.Count, best.HitRate, best.Mrr, model.HitRate, model.Mrr)
        {
            RepeatHalfLife = best.RepeatHalfLife,
            Candidates = candidates,
            Returning = ReturningSelection.Choose(returning, best.Weights),
        };
    }

    /// <summary>
    /// The candidate to serve, given each one's reciprocal rank at every point (0: a miss). HitRate first, as the shop's
    /// first question is whether the next click is in the list at all; but between candidates whose HitRate differs by no
    /// more than one standard error of the paired difference over the points, that difference is noise of this hold-out,
    /// and the higher MRR (the next click nearer the top) decides. Ties beyond that keep the earlier candidate.
    /// </summary>
    internal static int Pick(IReadOnlyList<double[]> ranks)
    {
        var hits = ranks.Select(r => r.Count(x => x > 0)).ToArray();
        var leader = Array.IndexOf(hits, hits.Max());
        var chosen = leader;
        for (var c = 0; c < ranks.Count; c++)
        {
            if (c != leader && hits[leader] - hits[c] <= HitDifferenceStandardError(ranks[leader], ranks[c]) * ranks[c].Length && ranks[c].Sum() > ranks[chosen].Sum() + 1e-9)
            {
                chosen = c;
            }
        }

        return chosen;
    }

    /// <summary>The standard error of the mean of hit(a) − hit(b) over the points (paired: the same clicks scored both ways).</summary>
    private static double HitDifferenceStandardError(double[] a, double[] b)
    {
        var n = a.Length;
        if (n < 2)
        {
            return 0;
        }

        var d = new double[n];
        for (var i = 0; i < n; i++)
        {
            d[i] = (a[i] > 0 ? 1 : 0) - (b[i] > 0 ? 1 : 0);
        }

        var mean = d.Average();
        var variance = d.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        return Math.Sqrt(variance / n);
    }

    /// <summary>Coordinate ascent on HitRate@20 + MRR@20 from the model alone, the repeat family at half-life index <paramref name="r"/>.</summary>
    private static BlendWeights Ascend(List<ChoicePoint> points, int r)
    {
        var (best, bestScore) = (BlendWeights.ModelOnly, Score(points, BlendWeights.ModelOnly, r));
        for (var (round, moved) = (0, true); round < 3 && moved; round++)
        {
            // A round that moves no weight is a fixed point: the next would try the same settings again.
            moved = false;
            for (var f = 0; f < Grid.Length; f++)
            {
                foreach (var value in Grid[f])
                {
                    var candidate = With(best, f, value);
                    if (candidate == best)
                    {
                        continue;
                    }

                    var score = Score(points, candidate, r);
                    if (score > bestScore + 1e-9 && candidate.Model + candidate.Neighbors + candidate.Category + candidate.Repeat + candidate.Transitions > 0)
                    {
                        (best, bestScore, moved) = (candidate, score, true);
                    }
                }
            }
        }

        return best;
    }

    private static BlendWeights With(BlendWeights w, int family, double value) => family switch
    {
        0 => w with { Model = value },
        1 => w with { Neighbors = value },
        2 => w with { Category = value },
        3 => w with { Repeat = value },
        4 => w with { Popularity = value },
        _ => w with { Transitions = value },
    };

    /// <summary>Hits plus reciprocal ranks over the points: HitRate@20 + MRR@20 times the count (a held-out item outside every family's candidates is a miss).</summary>
    private static double Score(List<ChoicePoint> points, BlendWeights w, int r)
    {
        var sum = 0.0;
        foreach (var p in points)
        {
            var rank = p.ReciprocalRank(w, r);
            sum += rank > 0 ? 1 + rank : 0;
        }

        return sum;
    }

    /// <summary>Each held-out click's reciprocal rank under these weights (0: a miss); a click the model knows nothing before counts as a miss.</summary>
    private static double[] Ranks(List<ChoicePoint> points, BlendWeights w, int r) => [.. points.Select(p => p.ReciprocalRank(w, r))];

    private static double HitRate(double[] ranks, int points) => ranks.Count(x => x > 0) / (double)Math.Max(1, points);

    private static double Mrr(double[] ranks, int points) => ranks.Sum() / Math.Max(1, points);
}
