using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Storage;

/// <summary>
/// Where served personal lists live, apart from the shoppers' behaviour events: one record per list, kept for a short
/// retention period of their own (30 days by default), so reading a shopper's history never wades through what they
/// were shown. Attribution, online figures, off-policy evaluation, Thompson feedback and the "not shown recently"
/// signal read lists by time; erasure removes a shopper's lists with their events.
/// </summary>
public interface IServedListStore
{
    /// <summary>Stores the list once: writing a list whose (user, list id) is stored already changes nothing (safe to retry).</summary>
    Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default);

    /// <summary>Every stored list served in [<paramref name="from"/>, <paramref name="to"/>), in no promised order; <paramref name="to"/> null is open.</summary>
    IAsyncEnumerable<ServedListRecord> ReadAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest lists served at or after <paramref name="from"/>, newest first, at most <paramref name="limit"/>:
    /// trending's read of what was shown. Real stores order and limit in the query; this default sorts in memory and is
    /// meant for in-memory stores only.
    /// </summary>
    IAsyncEnumerable<ServedListRecord> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        NewestFirst.TakeAsync(ReadAsync(from, null, cancellationToken), _ => true, l => l.ServedAt, limit, cancellationToken);

    /// <summary>
    /// The newest lists served to one user at or after <paramref name="from"/>, newest first, at most
    /// <paramref name="limit"/>: serving's read of what a shopper was shown lately (impression fatigue), one partition.
    /// Real stores query that partition, ordered and limited; this default filters a window read and is meant for
    /// in-memory stores only.
    /// </summary>
    IAsyncEnumerable<ServedListRecord> ReadUserNewestAsync(string userId, DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        NewestFirst.TakeAsync(ReadAsync(from, null, cancellationToken), l => string.Equals(l.UserId, userId, StringComparison.Ordinal), l => l.ServedAt, limit, cancellationToken);

    /// <summary>Erases every list served to one user; returns how many.</summary>
    Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases lists older than their retention period. Stores whose database expires items itself (Cosmos DB
    /// time-to-live) return 0; the embedded store deletes them here.
    /// </summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
