using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Lab.Samples;

/// <summary>A generated shop: its catalogue, its shoppers' events (oldest first) and the shoppers' ids.</summary>
public sealed record SampleShopData(IReadOnlyList<CatalogItem> Items, IReadOnlyList<BehaviorEvent> Events, IReadOnlyList<string> UserIds)
{
    /// <summary>
    /// Upserts the catalogue and appends the events, in batches of <see cref="IngestionLimits.MaxBatchSize"/>.
    /// Events already stored (the same seed loaded before) count as duplicates.
    /// </summary>
    public async Task<AppendResult> StoreAsync(IItemStore items, IEventStore events, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in Items.Chunk(IngestionLimits.MaxBatchSize))
        {
            await items.UpsertAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        var result = default(AppendResult);
        foreach (var chunk in Events.Chunk(IngestionLimits.MaxBatchSize))
        {
            result += await events.AppendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
