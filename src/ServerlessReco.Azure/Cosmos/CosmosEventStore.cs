using System.Runtime.CompilerServices;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// Events in the Cosmos DB `events` container, partitioned by /userId. Each event is one document whose id
/// derives from the event id, so a create that answers 409 Conflict is a duplicate: idempotency costs no read.
/// Expiry is Cosmos DB's time-to-live (the container default plus a per-item `ttl` from the event's own age).
/// The change feed is Cosmos DB's own, read with the pull model in latest-version mode; its position is the SDK's
/// continuation token.
/// </summary>
public sealed class CosmosEventStore : IEventStore, IEventChangeFeed
{
    private readonly CosmosRequests _requests;
    private readonly RetentionPolicy _retention;
    private readonly TimeProvider _clock;
    private readonly int _maxParallelWrites;

    public CosmosEventStore(Container container, RetentionPolicy retention, TimeProvider? clock = null, int maxParallelWrites = 16)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelWrites, 1);
        _requests = new CosmosRequests(container, maxParallelWrites);
        _retention = retention;
        _clock = clock ?? TimeProvider.System;
        _maxParallelWrites = maxParallelWrites;
    }

    /// <summary>Request units charged to this store's requests so far (as the service reported them).</summary>
    public double RequestCharge => _requests.RequestCharge;

    public async Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);

        // Repeats inside the batch are duplicates without a round trip; only first occurrences are written.
        var seen = new HashSet<(string UserId, string EventId)>();
        var toWrite = new List<BehaviorEvent>(events.Count);
        foreach (var e in events)
        {
            if (seen.Add((e.UserId, e.EventId)))
            {
                toWrite.Add(e);
            }
        }

        var now = _clock.GetUtcNow();
        var stored = 0;
        await Parallel.ForEachAsync(
            toWrite,
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallelWrites, CancellationToken = cancellationToken },
            async (e, ct) =>
            {
                if (await _requests.TryCreateAsync(EventDocument.From(e, _retention.SecondsToLive(e.Timestamp, now)), e.UserId, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref stored);
                }
            }).ConfigureAwait(false);

        return new AppendResult(stored, events.Count - stored);
    }

    /// <summary>
    /// One partition, newest first, limited in the query (TOP and a page of that size): the request units do not grow
    /// with the partition, since the ORDER BY walks the time index from its newest end.
    /// </summary>
    public async IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(
        string userId, int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.userId = @userId AND c.type != 'impression' ORDER BY c.ts DESC")
            .WithParameter("@limit", limit)
            .WithParameter("@userId", userId);
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(userId), MaxItemCount = limit };
        await foreach (var document in _requests.QueryAsync<EventDocument>(query, options, cancellationToken).ConfigureAwait(false))
        {
            yield return document.ToEvent();
        }
    }

    public async IAsyncEnumerable<BehaviorEvent> ReadAllAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The numeric bounds are widened to whole milliseconds; the exact bounds are applied to each event.
        var conditions = new List<string>(2);
        if (from is not null)
        {
            conditions.Add("c.ts >= @from");
        }

        if (to is not null)
        {
            conditions.Add("c.ts < @to");
        }

        var sql = "SELECT * FROM c" + (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions));
        var query = new QueryDefinition(sql)
            .WithParameter("@from", from is { } f ? CosmosRequests.FloorMs(f) : 0L)
            .WithParameter("@to", to is { } t ? CosmosRequests.CeilingMs(t) : 0L);

        await foreach (var document in _requests.QueryAsync<EventDocument>(query, ScanOptions, cancellationToken).ConfigureAwait(false))
        {
            var e = document.ToEvent();
            if ((from is null || e.Timestamp >= from.Value) && (to is null || e.Timestamp < to.Value))
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// Trending's read: newest first across partitions (the SDK merges each partition's ORDER BY on the time index), TOP
    /// in the query, so the request units stay with the limit however many events the window holds.
    /// </summary>
    public async IAsyncEnumerable<BehaviorEvent> ReadNewestAsync(DateTimeOffset from, int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.ts >= @from AND c.type != 'impression' ORDER BY c.ts DESC")
            .WithParameter("@limit", limit)
            .WithParameter("@from", CosmosRequests.FloorMs(from));
        await foreach (var document in _requests.QueryAsync<EventDocument>(query, ScanOptions, cancellationToken).ConfigureAwait(false))
        {
            var e = document.ToEvent();
            if (e.Timestamp >= from)
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// One page of the change feed after the continuation token (null: from the beginning). The SDK answers "not
    /// modified" only once every partition is drained, so an empty page means nothing newer anywhere.
    /// </summary>
    public async Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var start = position is null ? ChangeFeedStartFrom.Beginning() : ChangeFeedStartFrom.ContinuationToken(position);
        using var iterator = _requests.Container.GetChangeFeedIterator<EventDocument>(
            start, ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = maxEvents });
        var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
        _requests.AddCharge(page.RequestCharge);
        var events = page.StatusCode == System.Net.HttpStatusCode.NotModified ? [] : page.Select(d => d.ToEvent()).ToList();
        return new ChangeFeedPage(events, page.ContinuationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var total = 0L;
        await foreach (var count in _requests.QueryAsync<long>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), new QueryRequestOptions(), cancellationToken)
                           .ConfigureAwait(false))
        {
            total += count;
        }

        return total;
    }

    public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) =>
        _requests.DeletePartitionAsync(userId, cancellationToken);

    /// <summary>Cosmos DB's time-to-live removes expired events by itself: nothing to do here.</summary>
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>A cross-partition scan (training input): large pages, partitions read in parallel.</summary>
    private static QueryRequestOptions ScanOptions => new() { MaxItemCount = 1000, MaxConcurrency = -1 };
}
