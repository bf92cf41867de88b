using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.TestSupport;

/// <summary>A real item store, counting how serving reads it: whole (no cursor, or a cursor the store did not trust) or from a cursor.</summary>
public sealed class CountingItemStore(IItemStore inner) : IItemStore
{
    public int FullReads { get; private set; }

    public int IncrementalReads { get; private set; }

    public int ItemsReadSince { get; private set; }

    public Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default) => inner.UpsertAsync(items, cancellationToken);

    public Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) => inner.GetAsync(itemId, cancellationToken);

    public IAsyncEnumerable<CatalogItem> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        FullReads++;
        return inner.ReadAllAsync(cancellationToken);
    }

    public async Task<CatalogChanges> ReadChangedSinceAsync(CatalogCursor? since, CancellationToken cancellationToken = default)
    {
        var changes = await inner.ReadChangedSinceAsync(since, cancellationToken);
        if (since is null || changes.Complete)
        {
            FullReads++;
        }
        else
        {
            IncrementalReads++;
            ItemsReadSince += changes.Items.Count;
        }

        return changes;
    }
}
