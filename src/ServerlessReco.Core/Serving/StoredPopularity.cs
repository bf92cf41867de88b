using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Trending's fallback when its window holds no event and no model serves (a shop that imported its history, or
/// whose last week was quiet, before a first model is promoted): the popularity of the stored events, from a read 8
/// windows wide and then from every stored event, each the newest <see cref="ServingOptions.MaxTrendingEvents"/>
/// events (the stores order and limit in the query), undecayed. Without it such a shop served empty lists.
/// </summary>
internal static class StoredPopularity
{
    /// <summary>How many trending windows back the first wider read reaches before the read of every stored event.</summary>
    public const int WiderWindows = 8;

    /// <summary>
    /// <paramref name="recent"/> as it is when it has events or a model serves (its popularity answers then);
    /// otherwise with <see cref="TrendingEvents.Popular"/> from the first wider read that holds any.
    /// </summary>
    public static async Task<TrendingEvents> WidenAsync(
        TrendingEvents recent, bool modelServes, IEventStore events, EventWeights weights, ServingOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (recent.WeightByItem.Count > 0 || modelServes || options.MaxTrendingEvents == 0)
        {
            return recent;
        }

        DateTimeOffset[] reads = [now - (options.TrendingWindow * WiderWindows), DateTimeOffset.UnixEpoch];
        foreach (var from in reads)
        {
            var counts = await CountAsync(events.ReadNewestAsync(from, options.MaxTrendingEvents, cancellationToken), weights, options.MaxTrendingEvents, cancellationToken).ConfigureAwait(false);
            if (counts.Count > 0)
            {
                return new TrendingEvents(recent.WeightByItem, recent.EventsRead, recent.AsOf, recent.Feedback) { Popular = counts, PopularFrom = from == DateTimeOffset.UnixEpoch ? null : from };
            }
        }

        return recent;
    }

    /// <summary>Each item's summed weight over at most <paramref name="maxEvents"/> behaviour events (impressions left out).</summary>
    private static async Task<Dictionary<string, double>> CountAsync(IAsyncEnumerable<BehaviorEvent> events, EventWeights weights, int maxEvents, CancellationToken cancellationToken)
    {
        var byItem = new Dictionary<string, double>(StringComparer.Ordinal);
        var read = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (e.Type == EventType.Impression)
            {
                continue;
            }

            if (read++ >= maxEvents)
            {
                break;
            }

            var w = weights.WeightOf(e.Type, e.Value);
            if (w > 0 && double.IsFinite(w))
            {
                byItem[e.ItemId] = byItem.GetValueOrDefault(e.ItemId) + w;
            }
        }

        return byItem;
    }
}
