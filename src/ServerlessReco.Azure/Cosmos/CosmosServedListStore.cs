using System.Runtime.CompilerServices;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// Served lists in the Cosmos DB `servedLists` container, partitioned by /userId like the events (an erasure is one
/// partition), one document per list whose id derives from the list id, so a retried write answers 409 and changes
/// nothing. Expiry is Cosmos DB's time-to-live, as for events: the container default (30 days unless set, shorter than
/// the events') and a per-document `ttl` from the list's own age.
/// </summary>
public sealed class CosmosServedListStore(Container container, RetentionPolicy retention, TimeProvider? clock = null, int maxParallelWrites = 16)
    : IServedListStore
{
    private readonly CosmosRequests _requests = new(container, maxParallelWrites);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Request units charged to this store's requests so far (as the service reported them).</summary>
    public double RequestCharge => _requests.RequestCharge;

    public Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        var document = ServedListDocument.From(list, retention.SecondsToLive(list.ServedAt, _clock.GetUtcNow()));
        return _requests.TryCreateAsync(document, list.UserId, cancellationToken);
    }

    public async IAsyncEnumerable<ServedListRecord> ReadAsync(
        DateTimeOffset from, DateTimeOffset? to = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The numeric bounds are widened to whole milliseconds; the exact bounds are applied to each list.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.ts >= @from" + (to is null ? "" : " AND c.ts < @to"))
            .WithParameter("@from", CosmosRequests.FloorMs(from))
            .WithParameter("@to", to is { } t ? CosmosRequests.CeilingMs(t) : 0L);
        var options = new QueryRequestOptions { MaxItemCount = 1000, MaxConcurrency = -1 };
        await foreach (var document in _requests.QueryAsync<ServedListDocument>(query, options, cancellationToken).ConfigureAwait(false))
        {
            var list = document.ToRecord();
            if (list.ServedAt >= from && (to is null || list.ServedAt < to.Value))
            {
                yield return list;
            }
        }
    }

    /// <summary>Newest first across partitions, TOP in the query (see <see cref="CosmosEventStore.ReadNewestAsync"/>).</summary>
    public async IAsyncEnumerable<ServedListRecord> ReadNewestAsync(DateTimeOffset from, int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.ts >= @from ORDER BY c.ts DESC")
            .WithParameter("@limit", limit)
            .WithParameter("@from", CosmosRequests.FloorMs(from));
        var options = new QueryRequestOptions { MaxItemCount = 1000, MaxConcurrency = -1 };
        await foreach (var document in _requests.QueryAsync<ServedListDocument>(query, options, cancellationToken).ConfigureAwait(false))
        {
            var list = document.ToRecord();
            if (list.ServedAt >= from)
            {
                yield return list;
            }
        }
    }

    /// <summary>One partition (the user's), newest first, TOP in the query: serving's per-request read of what a shopper was shown.</summary>
    public async IAsyncEnumerable<ServedListRecord> ReadUserNewestAsync(
        string userId, DateTimeOffset from, int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.userId = @userId AND c.ts >= @from ORDER BY c.ts DESC")
            .WithParameter("@limit", limit)
            .WithParameter("@userId", userId)
            .WithParameter("@from", CosmosRequests.FloorMs(from));
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(userId), MaxItemCount = limit };
        await foreach (var document in _requests.QueryAsync<ServedListDocument>(query, options, cancellationToken).ConfigureAwait(false))
        {
            var list = document.ToRecord();
            if (list.ServedAt >= from)
            {
                yield return list;
            }
        }
    }

    public Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default) =>
        _requests.DeletePartitionAsync(userId, cancellationToken);

    /// <summary>Cosmos DB's time-to-live removes expired lists by itself: nothing to do here.</summary>
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
