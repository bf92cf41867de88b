using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A user's recent events, read per request (one partition), so events recorded since training count at once: the
/// newest <see cref="ServingOptions.MaxRecentEvents"/> within <see cref="ServingOptions.RecentEventsWindow"/>.
/// </summary>
internal sealed class RecentEvents(IEventStore events, ServingOptions options, ILogger logger)
{
    /// <summary>The user's newest events within the window, oldest first; none when the store fails (the list degrades to trending).</summary>
    public async Task<IReadOnlyList<BehaviorEvent>> ReadAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = new Queue<BehaviorEvent>();
        try
        {
            await foreach (var e in events.ReadUserEventsAsync(userId, now - options.RecentEventsWindow, cancellationToken))
            {
                // Impressions are what we showed, not what the shopper did: they must not push real events out of the window.
                if (e.Type == EventType.Impression)
                {
                    continue;
                }

                if (recent.Count == options.MaxRecentEvents)
                {
                    recent.Dequeue();
                }

                recent.Enqueue(e);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Serving could not read a user's recent events; the list is served from trending");
            return [];
        }

        return [.. recent];
    }
}
