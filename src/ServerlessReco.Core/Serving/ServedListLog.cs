using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>Stores each served personal list as one record in the served-list store (one write per list, not per slot).</summary>
public sealed class ServedListLog(IServedListStore lists, ILogger logger) : IServedListSink
{
    /// <summary>
    /// Writes the list (none for an empty list). Awaited, because a function instance may be frozen or stopped once it
    /// answers: a list is stored before the shopper sees it, so no list that was shown can be missing from the store. A
    /// failure is logged and the list still served: a lost record costs an evaluation sample, a failed request a shopper.
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
            await lists.AppendAsync(Record(served), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Serving could not store a served list; the list is served all the same");
        }
    }

    /// <summary>The list as it is stored: the request's shopper and session, the policy's view, each slot in list order.</summary>
    public static ServedListRecord Record(ServedList served)
    {
        ArgumentNullException.ThrowIfNull(served);
        var (request, list, shape) = (served.Request, served.List, served.Shape);
        var slots = new ServedListSlot[list.Items.Count];
        for (var p = 0; p < slots.Length; p++)
        {
            var item = list.Items[p];
            var slot = served.Slots[p];
            slots[p] = new ServedListSlot(item.ItemId, item.SlotKind, item.Propensity, slot.Rank, slot.IsNew, slot.Inclusion, slot.PropensityStandardError,
                item.Score, item.ReasonKind);
        }

        return new ServedListRecord(
            list.RecommendationId, request.UserId, served.ServedAt, shape.Policy, shape.Explore, shape.Head, shape.Pool, shape.PoolNew,
            slots, request.SessionId, list.ModelVersion, !request.Who.StoresServedLists);
    }
}
