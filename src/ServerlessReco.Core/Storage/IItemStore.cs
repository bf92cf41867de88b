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
