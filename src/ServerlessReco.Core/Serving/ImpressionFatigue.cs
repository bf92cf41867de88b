using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// The floor under the click model's fatigue features: an item shown to a shopper <see cref="ServingOptions.FatigueShowings"/>
/// times within <see cref="ServingOptions.FatigueWindow"/> without the shopper doing anything with it since is left out
/// of their lists until the window forgets the showings or the shopper takes it up (any event with a positive weight on
/// it: a view from a search counts as much as a click on a list). The click model learns fatigue too, but only from the
/// lists stored before the last retrain and only where its gate let it serve; this rule reads the shopper's own newest
/// lists per request, so the item ignored on five visits is not shown on a sixth. A showing is a visit's: lists served
/// within <see cref="CandidateFamilies.VisitGap"/> of the showing counted before are the same offer seen again in one
/// sitting (a shop fetches a list on every page), not another refusal, so a session's own lists never tire its items.
/// </summary>
internal sealed class ImpressionFatigue(IServedListStore lists, ServingOptions options, ILogger logger)
{
    /// <summary>
    /// The most lists one read takes: bounds a request's cost for a shopper served thousands of lists in the window
    /// (a bot, a kiosk). Fatigue needs the showings since the last engagement, and a shopper's newest lists hold them.
    /// </summary>
    internal const int MaxListsRead = 100;

    public bool IsOn => options.FatigueShowings > 0;

    /// <summary>
    /// The shopper's newest lists within the window, newest first; none when the rule is off. A store that fails gives
    /// what was read before the failure: the rule then demotes less, and the list is still served.
    /// </summary>
    public async Task<IReadOnlyList<ServedListRecord>> ReadAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var read = new List<ServedListRecord>();
        if (!IsOn)
        {
            return read;
        }

        try
        {
            await foreach (var list in lists.ReadUserNewestAsync(userId, now - options.FatigueWindow, MaxListsRead, cancellationToken))
            {
                read.Add(list);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Serving could not read all of a shopper's recent lists ({Read} read); fewer items are held back as fatigued", read.Count);
        }

        return read;
    }

    /// <summary>
    /// The items shown on at least <paramref name="showings"/> visits in <paramref name="lists"/> after the shopper's
    /// newest event with a positive weight on them (<paramref name="events"/>, oldest first); lists older than the window
    /// are the caller's to leave out. A showing counts when it comes at least a visit gap after the one counted before it.
    /// </summary>
    public static HashSet<string> Fatigued(
        IReadOnlyList<ServedListRecord> lists, IReadOnlyList<BehaviorEvent> events, EventWeights weights, int showings)
    {
        var fatigued = new HashSet<string>(StringComparer.Ordinal);
        if (showings < 1 || lists.Count < showings)
        {
            return fatigued;
        }

        var engaged = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Type is not (EventType.Impression or EventType.Dismiss) && weights.WeightOf(e.Type, e.Value) > 0
                && (!engaged.TryGetValue(e.ItemId, out var last) || e.Timestamp > last))
            {
                engaged[e.ItemId] = e.Timestamp;
            }
        }

        var shown = new Dictionary<string, (int Visits, DateTimeOffset Counted)>(StringComparer.Ordinal);
        foreach (var list in lists.OrderBy(l => l.ServedAt))
        {
            foreach (var slot in list.Slots)
            {
                var item = slot.ItemId;
                if (engaged.TryGetValue(item, out var at) && at >= list.ServedAt)
                {
                    continue; // shown before the shopper took it up: that showing worked
                }

                if (shown.TryGetValue(item, out var before) && list.ServedAt - before.Counted < CandidateFamilies.VisitGap)
                {
                    continue; // the same visit's offer again
                }

                shown[item] = (before.Visits + 1, list.ServedAt);
                if (before.Visits + 1 >= showings)
                {
                    fatigued.Add(item);
                }
            }
        }

        return fatigued;
    }
}
