using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>Logs served personal lists as impression events, one per slot, through the event store.</summary>
public sealed class ImpressionLog(IEventStore events, ILogger logger) : IServedListSink
{
    /// <summary>
    /// Writes the list's slots as impression events (none for an empty list). Awaited, because a function instance may
    /// be frozen once it answers; a failure is logged and the list still served: a lost impression costs an evaluation
    /// sample, a failed request costs a shopper.
    /// </summary>
    public async Task ServedAsync(ServedList served, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(served);
        if (served.List.Items.Count == 0)
        {
            return;
        }

        try
        {
            await events.AppendAsync(Impressions(served), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Serving could not log the impressions of a list; the list is served all the same");
        }
    }

    /// <summary>The list's slots as impression events, in list order.</summary>
    public static BehaviorEvent[] Impressions(ServedList served)
    {
        ArgumentNullException.ThrowIfNull(served);
        var (request, list, shape) = (served.Request, served.List, served.Shape);
        var impressions = new BehaviorEvent[list.Items.Count];
        for (var p = 0; p < impressions.Length; p++)
        {
            var item = list.Items[p];
            var slot = served.Slots[p];
            impressions[p] = ImpressionEvents.ToEvent(new LoggedImpression(
                request.UserId, list.RecommendationId, item.ItemId, p, item.SlotKind, item.Propensity, shape.Policy, shape.Explore,
                slot.Rank, shape.Head, shape.Pool, shape.PoolNew, slot.IsNew, served.ServedAt, request.SessionId, list.ModelVersion,
                slot.Inclusion, request.Anonymous));
        }

        return impressions;
    }
}
