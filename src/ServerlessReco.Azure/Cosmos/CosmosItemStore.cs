using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>The catalogue in the Cosmos DB `items` container, partitioned by /id: one document per item.</summary>
public sealed class CosmosItemStore : IItemStore
{
    private readonly Container _container;
    private readonly int _maxParallelWrites;

    public CosmosItemStore(Container container, int maxParallelWrites = 16)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelWrites, 1);
        _container = container;
        _maxParallelWrites = maxParallelWrites;
    }

    public async Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);

        // Writes run in parallel, so an item given twice must be written once: as its last version.
        var last = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            last[item.ItemId] = item;
        }

        await Parallel.ForEachAsync(
            last.Values,
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallelWrites, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var document = ItemDocument.From(item);
                await _container.UpsertItemAsync(
                    document,
                    new PartitionKey(document.Id),
                    new ItemRequestOptions { EnableContentResponseOnWrite = false },
                    ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

        return last.Count;
    }

    public async Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var id = CosmosIds.ToDocumentId(itemId);
        try
        {
            var response = await _container.ReadItemAsync<ItemDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return response.Resource.ToItem();
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var total = 0L;
        using var iterator = _container.GetItemQueryIterator<long>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c"));
        while (iterator.HasMoreResults)
        {
            foreach (var count in await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false))
            {
                total += count;
            }
        }

        return total;
    }

    /// <summary>
    /// The documents whose <c>_ts</c> is at or after the cursor's second: the boundary second is read again, since a write in
    /// the same second may have landed after the last read; upserts replace, so an item read twice merges as itself.
    /// </summary>
    public async Task<CatalogChanges> ReadChangedSinceAsync(CatalogCursor? since, CancellationToken cancellationToken = default)
    {
        var query = since is null
            ? new QueryDefinition("SELECT * FROM c")
            : new QueryDefinition("SELECT * FROM c WHERE c._ts >= @since").WithParameter("@since", since.Position);
        var items = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        var newest = since?.Position ?? 0;
        using var iterator = _container.GetItemQueryIterator<ItemDocument>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 1000, MaxConcurrency = -1 });
        while (iterator.HasMoreResults)
        {
            foreach (var document in await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false))
            {
                items[document.ItemId] = document.ToItem();
                newest = Math.Max(newest, document.Timestamp);
            }
        }

        return new CatalogChanges([.. items.Values], new CatalogCursor(newest), Complete: since is null);
    }

    public async IAsyncEnumerable<CatalogItem> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var iterator = _container.GetItemQueryIterator<ItemDocument>(
            new QueryDefinition("SELECT * FROM c"),
            requestOptions: new QueryRequestOptions { MaxItemCount = 1000, MaxConcurrency = -1 });
        while (iterator.HasMoreResults)
        {
            foreach (var document in await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return document.ToItem();
            }
        }
    }
}
