using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>Which categories a user is into now: what shapes trending and new arrivals for cold users and sessions.</summary>
internal static class SessionCategories
{
    /// <summary>How many of the user's categories count.</summary>
    private const int MaxCategories = 5;

    /// <summary>
    /// Category → share of the event weight, over the events of the given session when it has any, else over all recent
    /// events; the top <see cref="MaxCategories"/> categories only.
    /// </summary>
    public static Dictionary<int, double> Shares(ServingState state, IReadOnlyList<BehaviorEvent> events, string? sessionId, EventWeights weights)
    {
        var inSession = sessionId is not null && events.Any(e => e.SessionId == sessionId);
        var totals = new Dictionary<int, double>();
        var sum = 0.0;
        foreach (var e in events)
        {
            if (inSession && e.SessionId != sessionId)
            {
                continue;
            }

            var w = weights.WeightOf(e.Type, e.Value);
            var c = state.CategoryOf(e.ItemId);
            if (w > 0 && double.IsFinite(w) && c >= 0)
            {
                totals[c] = totals.GetValueOrDefault(c) + w;
                sum += w;
            }
        }

        return totals.Count <= MaxCategories
            ? totals.ToDictionary(p => p.Key, p => p.Value / sum)
            : totals.OrderByDescending(p => p.Value).Take(MaxCategories).ToDictionary(p => p.Key, p => p.Value / sum);
    }
}
