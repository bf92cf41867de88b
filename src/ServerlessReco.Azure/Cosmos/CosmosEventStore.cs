using System.Net;
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
    private readonly Container _container;
    private readonly RetentionPolicy _retention;
    private readonly TimeProvider _clock;
    private readonly int _maxParallelWrites;
    private long _requestChargeMilli;

    public CosmosEventStore(Container container, RetentionPolicy retention, TimeProvider? clock = null, int maxParallelWrites = 16)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelWrites, 1);
        _container = container;
        _retention = retention;
        _clock = clock ?? TimeProvider.System;
        _maxParallelWrites = maxParallelWrites;
    }

    /// <summary>Request units charged to this store's requests so far (as the service reported them).</summary>
    public double RequestCharge => Interlocked.Read(ref _requestChargeMilli) / 1000.0;

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
                if (await TryCreateAsync(EventDocument.From(e, _retention.SecondsToLive(e.Timestamp, now)), ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref stored);
                }
            }).ConfigureAwait(false);

        return new AppendResult(stored, events.Count - stored);
    }

    public async IAsyncEnumerable<BehaviorEvent> ReadUserEventsAsync(
        string userId, DateTimeOffset? since = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var sql = "SELECT * FROM c WHERE c.userId = @userId";
        if (since is not null)
        {
            sql += " AND c.ts >= @since";
        }

        var query = new QueryDefinition(sql + " ORDER BY c.ts ASC")
            .WithParameter("@userId", userId)
            .WithParameter("@since", since is { } s ? FloorMs(s) : 0L);
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(userId) };

        await foreach (var document in QueryAsync<EventDocument>(query, options, cancellationToken).ConfigureAwait(false))
        {
            var e = document.ToEvent();
            if (since is null || e.Timestamp >= since.Value)
            {
                yield return e;
            }
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
            .WithParameter("@from", from is { } f ? FloorMs(f) : 0L)
            .WithParameter("@to", to is { } t ? CeilingMs(t) : 0L);

        await foreach (var document in QueryAsync<EventDocument>(query, ScanOptions, cancellationToken).ConfigureAwait(false))
        {
            var e = document.ToEvent();
            if ((from is null || e.Timestamp >= from.Value) && (to is null || e.Timestamp < to.Value))
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
        using var iterator = _container.GetChangeFeedIterator<EventDocument>(
            start, ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = maxEvents });
        var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
        AddCharge(page.RequestCharge);
        var events = page.StatusCode == HttpStatusCode.NotModified ? [] : page.Select(d => d.ToEvent()).ToList();
        return new ChangeFeedPage(events, page.ContinuationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var total = 0L;
        await foreach (var count in QueryAsync<long>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c"), new QueryRequestOptions(), cancellationToken)
                           .ConfigureAwait(false))
        {
            total += count;
        }

        return total;
    }

    public async Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var partition = new PartitionKey(userId);
        var ids = new List<string>();
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.userId = @userId").WithParameter("@userId", userId);
        await foreach (var id in QueryAsync<string>(query, new QueryRequestOptions { PartitionKey = partition }, cancellationToken)
                           .ConfigureAwait(false))
        {
            ids.Add(id);
        }

        // No transactional batch: one delete per event, a few at a time. A retry after a failure finishes the job.
        var deleted = 0;
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallelWrites, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                using var response = await _container.DeleteItemStreamAsync(id, partition, cancellationToken: ct).ConfigureAwait(false);
                AddCharge(response.Headers.RequestCharge);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return; // expired or deleted by a concurrent request meanwhile
                }

                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref deleted);
            }).ConfigureAwait(false);

        return deleted;
    }

    /// <summary>Cosmos DB's time-to-live removes expired events by itself: nothing to do here.</summary>
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>Creates the document; false when one with that id already exists in the user's partition.</summary>
    private async Task<bool> TryCreateAsync(EventDocument document, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.CreateItemAsync(
                document,
                new PartitionKey(document.UserId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false },
                cancellationToken).ConfigureAwait(false);
            AddCharge(response.RequestCharge);
            return true;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            AddCharge(ex.RequestCharge);
            return false;
        }
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(
        QueryDefinition query, QueryRequestOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            AddCharge(page.RequestCharge);
            foreach (var item in page)
            {
                yield return item;
            }
        }
    }

    /// <summary>A cross-partition scan (training input): large pages, partitions read in parallel.</summary>
    private static QueryRequestOptions ScanOptions => new() { MaxItemCount = 1000, MaxConcurrency = -1 };

    private void AddCharge(double requestUnits) =>
        Interlocked.Add(ref _requestChargeMilli, (long)Math.Round(requestUnits * 1000));

    private static long FloorMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static long CeilingMs(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < t ? ms + 1 : ms;
    }
}
