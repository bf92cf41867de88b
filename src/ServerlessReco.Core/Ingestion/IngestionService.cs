using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// The one path by which events and items get in: validate the whole batch, then store it.
/// A batch with any invalid element is rejected whole and stores nothing.
/// </summary>
public sealed class IngestionService(IEventStore events, IItemStore items, TimeProvider clock, RetentionPolicy retention)
{
    private readonly EventParser _eventParser = new(clock, retention);
    private readonly ItemParser _itemParser = new(clock);

    public EventParser EventParser => _eventParser;

    public async Task<IngestionOutcome> RecordEventsAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var batch = _eventParser.ParseBatch(body);
        if (!batch.IsValid)
        {
            return IngestionOutcome.Rejected(batch.Errors);
        }

        var result = await events.AppendAsync(batch.Elements, cancellationToken).ConfigureAwait(false);
        return IngestionOutcome.Accepted(batch.Elements.Count, result);
    }

    public async Task<IngestionOutcome> RecordEventsAsync(IReadOnlyList<BehaviorEvent> validEvents, CancellationToken cancellationToken = default)
    {
        var result = await events.AppendAsync(validEvents, cancellationToken).ConfigureAwait(false);
        return IngestionOutcome.Accepted(validEvents.Count, result);
    }

    public async Task<IngestionOutcome> UpsertItemsAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var batch = _itemParser.ParseBatch(body);
        if (!batch.IsValid)
        {
            return IngestionOutcome.Rejected(batch.Errors);
        }

        var written = await items.UpsertAsync(Deduplicate(batch.Elements), cancellationToken).ConfigureAwait(false);
        return IngestionOutcome.Accepted(batch.Elements.Count, new AppendResult(written, batch.Elements.Count - written));
    }

    /// <summary>The same item twice in one batch: the last one wins, as two puts in a row would.</summary>
    private static List<CatalogItem> Deduplicate(IReadOnlyList<CatalogItem> batch)
    {
        var last = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var item in batch)
        {
            last[item.ItemId] = item;
        }

        return batch.Where(item => ReferenceEquals(last[item.ItemId], item)).ToList();
    }
}

/// <summary>What became of one write request.</summary>
public sealed record IngestionOutcome(bool IsAccepted, int Received, int Stored, int Duplicates, IReadOnlyList<ValidationError> Errors)
{
    public static IngestionOutcome Accepted(int received, AppendResult result) =>
        new(true, received, result.Stored, result.Duplicates, []);

    public static IngestionOutcome Rejected(IReadOnlyList<ValidationError> errors) =>
        new(false, 0, 0, 0, errors);
}
