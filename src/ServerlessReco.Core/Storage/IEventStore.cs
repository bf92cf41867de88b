using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Storage;

/// <summary>
/// Where behaviour events live. Events are partitioned by user: everything one request needs about a
/// user is one partition read. Writes are idempotent on (user, event id).
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Stores the events that are not stored yet. An event whose (user, event id) is already stored,
    /// or repeats earlier in the same batch, counts as a duplicate and changes nothing.
    /// Safe to retry after a failure: what was stored before the failure counts as duplicate the second time.
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// One user's history: their newest behaviour events (impressions left out), newest first, at most
    /// <paramref name="limit"/>. The store limits and orders in the query (an index on user and time), so the cost is
    /// the same however long ago the shopper was last here and however much else their partition holds.
    /// </summary>
    IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(string userId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every event whose timestamp lies in [<paramref name="from"/>, <paramref name="to"/>), in no promised
    /// order: the input of training. Either bound may be null (open).
    /// </summary>
    IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest behaviour events (impressions left out) with a timestamp at or after <paramref name="from"/>, newest
    /// first, at most <paramref name="limit"/>: trending's read, so that under load its cap keeps the newest events rather
    /// than an arbitrary (or the oldest) slice. Real stores order and limit in the query on their time index; this
    /// default sorts in memory and is meant for in-memory stores only.
    /// </summary>
    IAsyncEnumerable<BehaviorEvent> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        NewestFirst.TakeAsync(ReadAllAsync(from, null, cancellationToken), e => e.Type != EventType.Impression, e => e.Timestamp, limit, cancellationToken);

    /// <summary>How many events are stored.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Erases every event of one user; returns how many were erased.</summary>
    Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases events older than the retention period. Stores whose database expires items by itself
    /// (Cosmos DB time-to-live) return 0; the embedded store deletes them here.
    /// </summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>What an append did: how many events were new and how many were already stored.</summary>
public readonly record struct AppendResult(int Stored, int Duplicates)
{
    public static AppendResult operator +(AppendResult a, AppendResult b) =>
        new(a.Stored + b.Stored, a.Duplicates + b.Duplicates);
}
