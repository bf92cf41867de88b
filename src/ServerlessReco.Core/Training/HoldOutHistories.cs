using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The histories a hold-out's users would be served from: each user's behaviour events in the training window on the
/// items the hold-out kept for training (every event of a held-out item left out, as the training part has none of
/// it), oldest first, the newest <c>maxEvents</c> of them, as serving reads a shopper's partition
/// (<see cref="Serving.ServingOptions.MaxRecentEvents"/>).
/// </summary>
internal static class HoldOutHistories
{
    /// <summary>The histories of <paramref name="users"/> (ids absent from the window get none), read in one pass over <paramref name="window"/>.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<BehaviorEvent>>> ReadAsync(
        IAsyncEnumerable<BehaviorEvent> window, IReadOnlyDictionary<string, IReadOnlySet<string>> heldOut, IReadOnlyCollection<string> users, int maxEvents,
        CancellationToken cancellationToken)
    {
        var byUser = users.ToDictionary(u => u, _ => new List<BehaviorEvent>(), StringComparer.Ordinal);
        await foreach (var e in window.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e.Type != EventType.Impression && byUser.TryGetValue(e.UserId, out var history)
                && !(heldOut.TryGetValue(e.UserId, out var held) && held.Contains(e.ItemId)))
            {
                history.Add(e);
            }
        }

        var result = new Dictionary<string, IReadOnlyList<BehaviorEvent>>(byUser.Count, StringComparer.Ordinal);
        foreach (var (user, history) in byUser)
        {
            // A stable sort: the window's order breaks ties at the same second, as a partition read's does.
            var ordered = history.OrderBy(e => e.Timestamp).ToList();
            result[user] = ordered.Count > maxEvents ? ordered[^maxEvents..] : ordered;
        }

        return result;
    }
}
