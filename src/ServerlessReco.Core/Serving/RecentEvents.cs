using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A user's history, read per request (one partition, newest first, limited in the query), so events recorded since
/// training count at once: the newest <see cref="ServingOptions.MaxRecentEvents"/> behaviour events, however old. No
/// wall-clock window: a shopper back after months gets their own list, and the retention period alone decides what is
/// forgotten.
/// </summary>
internal sealed class RecentEvents(IEventStore events, ServingOptions options, ILogger logger)
{
    /// <summary>
    /// The user's newest behaviour events, oldest first. When the store fails part-way, what was read before the failure
    /// (perhaps nothing): the list degrades to the model's list from that history, or to trending, never to an error.
    /// </summary>
    public async Task<IReadOnlyList<BehaviorEvent>> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        var newestFirst = new List<BehaviorEvent>();
        try
        {
            await foreach (var e in events.ReadUserHistoryAsync(userId, options.MaxRecentEvents, cancellationToken))
            {
                newestFirst.Add(e);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Serving could not read all of a user's recent events ({Read} read); the list is served from what was read", newestFirst.Count);
        }

        newestFirst.Reverse();
        return newestFirst;
    }
}
