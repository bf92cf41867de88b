using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>The candidate families beside the model's own scores (see <see cref="BlendWeights"/>).</summary>
public enum Family
{
    Neighbors,
    Category,
    Repeat,
    Popularity,
    Transitions,
}

/// <summary>
/// The families' scores for one shopper, each scaled to at most 1, from what serving has at hand: the shopper's recent
/// events (oldest first), the session of the request, the model's items and the saved session index. Serving and the
/// retrain's choice of weights (<see cref="BlendSelection"/>) call the same code, so the weights chosen are those of the
/// lists served.
/// </summary>
public static class CandidateFamilies
{
    /// <summary>Events this many places back from the newest count half as much for the shopper's categories, and for repeat interest unless the hold-out chose otherwise.</summary>
    public const double RecencyHalfLife = 3;

    /// <summary>Without session ids, a gap this long between two events starts a new visit.</summary>
    public static readonly TimeSpan VisitGap = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The events of the current visit, oldest first: those of <paramref name="sessionId"/> when any event carries it;
    /// else those of the newest event's session; else the newest run of events without a gap of <see cref="VisitGap"/>.
    /// </summary>
    public static IReadOnlyList<BehaviorEvent> CurrentVisit(IReadOnlyList<BehaviorEvent> events, string? sessionId)
    {
        if (events.Count == 0)
        {
            return events;
        }

        var session = sessionId is not null && events.Any(e => e.SessionId == sessionId) ? sessionId : events[^1].SessionId;
        if (session is not null)
        {
            return [.. events.Where(e => e.SessionId == session)];
        }

        var start = events.Count - 1;
        while (start > 0 && events[start].Timestamp - events[start - 1].Timestamp <= VisitGap)
        {
            start--;
        }

        return [.. events.Skip(start)];
    }

    /// <summary>Writes one family's scores (cleared first, then scaled to at most 1) into <paramref name="into"/>; false when it has nothing to say.</summary>
    public static bool Compute(Family family, FamilyContext context, Span<double> into)
    {
        into.Clear();
        switch (family)
        {
            case Family.Neighbors:
                if (context.Index is null)
                {
                    return false;
                }

                var visit = CurrentVisit(context.Events, context.SessionId);
                var known = visit.Where(e => context.Weights.WeightOf(e.Type, e.Value) > 0)
                    .Select(e => context.Items.TryGetIndex(e.ItemId, out var i) ? i : -1).Where(i => i >= 0).ToArray();
                SessionNeighbors.Score(context.Index, known, context.Neighbors, into);
                break;
            case Family.Category:
                var shares = CategoryShares(context);
                for (var i = 0; i < into.Length && shares.Count > 0; i++)
                {
                    var c = context.Priors.Category[i];
                    if (c >= 0 && shares.TryGetValue(c, out var share))
                    {
                        into[i] = share * context.Priors.InCategory[i];
                    }
                }

                break;
            case Family.Repeat:
                RepeatInterest(context, into);
                break;
            case Family.Popularity:
                context.Priors.Popularity.AsSpan(0, into.Length).CopyTo(into);
                break;
            case Family.Transitions:
                if (context.Index is null || LastClick(context) is not (>= 0 and var last))
                {
                    return false;
                }

                SessionTransitions.Score(context.Index, last, into);
                break;
        }

        return Scale(into);
    }

    /// <summary>The model's index of the visit's newest item with a positive weight that the model knows, or −1.</summary>
    private static int LastClick(FamilyContext context)
    {
        var visit = CurrentVisit(context.Events, context.SessionId);
        for (var p = visit.Count - 1; p >= 0; p--)
        {
            var e = visit[p];
            if (context.Weights.WeightOf(e.Type, e.Value) > 0 && context.Items.TryGetIndex(e.ItemId, out var i))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Divides by the largest score; false (and left as is) when no score is positive.</summary>
    public static bool Scale(Span<double> scores)
    {
        var max = 0.0;
        foreach (var s in scores)
        {
            max = Math.Max(max, double.IsFinite(s) ? s : 0);
        }

        if (max <= 0)
        {
            return false;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= max;
        }

        return true;
    }

    /// <summary>
    /// Category → share of the recency-weighted event weight, over the current visit while it lasts
    /// (<see cref="VisitEnded"/>) and its items have categories, else over all recent events: two views in one category
    /// make it the shopper's category now, and a shopper back after the visit ended is served all of their categories,
    /// the newest first, not only the last visit's.
    /// </summary>
    public static Dictionary<int, double> CategoryShares(FamilyContext context)
    {
        if (VisitEnded(context.Events, context.SessionId, context.Now))
        {
            return SharesOf(context.Events, context);
        }

        var visit = CurrentVisit(context.Events, context.SessionId);
        var shares = SharesOf(visit, context);
        return shares.Count > 0 || visit.Count == context.Events.Count ? shares : SharesOf(context.Events, context);
    }

    /// <summary>
    /// Whether a list asked for at <paramref name="now"/> comes after the shopper's visit ended: the request names no
    /// session of theirs and comes more than <see cref="VisitGap"/> after their newest event. False without a time.
    /// </summary>
    public static bool VisitEnded(IReadOnlyList<BehaviorEvent> events, string? sessionId, DateTimeOffset? now) =>
        now is { } at && events.Count > 0 && at - events[^1].Timestamp > VisitGap && (sessionId is null || !events.Any(e => e.SessionId == sessionId));

    private static Dictionary<int, double> SharesOf(IReadOnlyList<BehaviorEvent> events, FamilyContext context)
    {
        var totals = new Dictionary<int, double>();
        var sum = 0.0;
        for (var p = events.Count - 1; p >= 0; p--)
        {
            var e = events[p];
            var w = context.Weights.WeightOf(e.Type, e.Value) * Math.Pow(0.5, (events.Count - 1 - p) / RecencyHalfLife);
            if (w > 0 && double.IsFinite(w) && context.CategoryOf(e.ItemId) is var c and >= 0)
            {
                totals[c] = totals.GetValueOrDefault(c) + w;
                sum += w;
            }
        }

        return totals.ToDictionary(t => t.Key, t => t.Value / sum);
    }

    /// <summary>Per item, the sum over its recent events of the type's weight, halving every <see cref="FamilyContext.RepeatHalfLife"/> events back: how recently, how often, and what was done.</summary>
    private static void RepeatInterest(FamilyContext context, Span<double> into)
    {
        var events = context.Events;
        for (var p = events.Count - 1; p >= 0; p--)
        {
            var e = events[p];
            var w = context.Weights.WeightOf(e.Type, e.Value);
            if (w > 0 && double.IsFinite(w) && context.Items.TryGetIndex(e.ItemId, out var item))
            {
                into[item] += w * Math.Pow(0.5, (events.Count - 1 - p) / context.RepeatHalfLife);
            }
        }
    }
}

/// <summary>
/// What the families read for one shopper: recent events (oldest first), the request's session, the model's items and
/// weights, the index, the priors; how many events back a repeat counts half (chosen on the retrain's hold-out, <see cref="BlendChoice.RepeatHalfLife"/>);
/// and when the list is asked for (null: within the visit).
/// </summary>
public sealed record FamilyContext(
    IReadOnlyList<BehaviorEvent> Events, string? SessionId, IdIndex Items, EventWeights Weights, SessionIndex? Index, SessionNeighborOptions Neighbors, ItemPriors Priors,
    Func<string, int> CategoryOf, double RepeatHalfLife = CandidateFamilies.RecencyHalfLife, DateTimeOffset? Now = null);
