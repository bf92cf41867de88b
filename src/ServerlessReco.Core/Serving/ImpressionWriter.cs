using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>Logs served personal lists as impression events, one per slot, through the event store.</summary>
internal sealed class ImpressionWriter(IEventStore events, IServingLog log)
{
    /// <summary>
    /// Writes the list's slots as impression events through the event store. Awaited, because a function instance may
    /// be frozen once it answers; a failure is logged and the list still served: a lost impression costs an
    /// evaluation sample, a failed request costs a shopper.
    /// </summary>
    public async Task WriteAsync(RecommendationRequest request, ServedList served, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var list = served.List;
        var shape = served.Shape;
        var impressions = new BehaviorEvent[list.Items.Count];
        for (var p = 0; p < impressions.Length; p++)
        {
            var item = list.Items[p];
            var slot = served.Slots[p];
            impressions[p] = ImpressionEvents.ToEvent(new LoggedImpression(
                request.UserId, list.RecommendationId, item.ItemId, p, item.SlotKind == "explore" ? SlotKind.Explore : SlotKind.Exploit, item.Propensity,
                shape.Policy, shape.Explore, slot.Rank, shape.Head, shape.Pool, shape.PoolNew, slot.IsNew, now, request.SessionId, list.ModelVersion,
                slot.Inclusion));
        }

        try
        {
            await events.AppendAsync(impressions, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.Failed("impressions", e);
        }
    }
}
