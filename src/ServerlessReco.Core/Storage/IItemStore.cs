using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Core.Storage;

/// <summary>The item catalogue, keyed by item id.</summary>
public interface IItemStore
{
    /// <summary>Inserts or replaces each item; returns how many were written.</summary>
    Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default);

    /// <summary>The item, or null when the catalogue has none with that id.</summary>
    Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>The whole catalogue, in no promised order.</summary>
    IAsyncEnumerable<CatalogItem> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The items written since <paramref name="since"/> (null: the whole catalogue, <see cref="CatalogChanges.Complete"/>)
    /// and the cursor to continue from. It may return an item again that was written at the cursor's boundary (a store whose
    /// clock has seconds re-reads that second), never misses one written after it; upserts replace, so merging twice is harmless.
    /// This default, for stores with no order of writes (in-memory stores of the lab and the CLI), always returns everything.
    /// </summary>
    async Task<CatalogChanges> ReadChangedSinceAsync(CatalogCursor? since, CancellationToken cancellationToken = default)
    {
        var all = new List<CatalogItem>();
        await foreach (var item in ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(item);
        }

        return new CatalogChanges(all, new CatalogCursor(0), Complete: true);
    }

    /// <summary>How many items the catalogue holds (the size cap's check). Real stores count in the query; this default reads everything.</summary>
    async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var count = 0L;
        await foreach (var _ in ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
