using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Erases events past the retention period every night. Cosmos DB expires them by itself (time-to-live);
/// the embedded store has no such clock and deletes them here.
/// </summary>
public sealed class RetentionFunctions(IEventStore events, TimeProvider clock, ILogger<RetentionFunctions> logger)
{
    [Function(nameof(PurgeExpiredEvents))]
    public async Task PurgeExpiredEvents([TimerTrigger("0 17 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var purged = await events.PurgeExpiredAsync(clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("Purged {Purged} expired events", purged);
    }
}
