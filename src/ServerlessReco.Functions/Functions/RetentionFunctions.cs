using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Erases events and served lists past their retention periods every night. Cosmos DB expires them by itself
/// (time-to-live); the embedded store has no such clock and deletes them here.
/// </summary>
public sealed class RetentionFunctions(IEventStore events, IServedListStore servedLists, TimeProvider clock, ILogger<RetentionFunctions> logger)
{
    [Function(nameof(PurgeExpiredEvents))]
    public async Task PurgeExpiredEvents([TimerTrigger("0 17 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var purged = await events.PurgeExpiredAsync(now, cancellationToken);
        var purgedLists = await servedLists.PurgeExpiredAsync(now, cancellationToken);
        logger.LogInformation("Purged {Purged} expired events and {PurgedLists} expired served lists", purged, purgedLists);
    }
}
