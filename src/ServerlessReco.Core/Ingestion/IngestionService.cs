using ServerlessReco.Core.Access;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// The one path by which events and items get in: validate the whole batch, then store it.
/// A batch with any invalid element is rejected whole and stores nothing, and so is a catalogue write that would take
/// the catalogue past <paramref name="maxCatalogItems"/>.
/// </summary>
public sealed class IngestionService(IEventStore events, IItemStore items, TimeProvider clock, RetentionPolicy retention, int maxCatalogItems = int.MaxValue)
{
    private readonly EventParser _eventParser = new(clock, retention);
    private readonly ItemParser _itemParser = new(clock);

    public EventParser EventParser => _eventParser;

    /// <summary>
    /// Validates and stores a batch. A <paramref name="caller"/> that may act as one shopper only (a shopper token) has
    /// the whole batch refused (<see cref="IngestionOutcome.IsForbidden"/>, nothing stored) when any event is another user's.
    /// </summary>
    public async Task<IngestionOutcome> RecordEventsAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default, Caller? caller = null)
    {
        var batch = _eventParser.ParseBatch(body);
        if (!batch.IsValid)
        {
            return IngestionOutcome.Rejected(batch.Errors);
        }

        if (caller is not null && ForeignEvents(batch.Elements, caller) is { Count: > 0 } foreign)
        {
            return IngestionOutcome.Rejected(foreign) with { IsForbidden = true };
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

        var unique = Deduplicate(batch.Elements);
        if (await NewItemsPastTheCapAsync(unique, cancellationToken).ConfigureAwait(false) is { } full)
        {
            return full;
        }

        var written = await items.UpsertAsync(unique, cancellationToken).ConfigureAwait(false);
        return IngestionOutcome.Accepted(batch.Elements.Count, new AppendResult(written, batch.Elements.Count - written));
    }

    private static List<ValidationError> ForeignEvents(IReadOnlyList<BehaviorEvent> batch, Caller caller)
    {
        var foreign = new List<ValidationError>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!caller.MayActAs(batch[i].UserId))
            {
                foreign.Add(new ValidationError(i, "userId", "is not the shopper token's subject: a token records its own shopper's events only."));
            }
        }

        return foreign;
    }

    /// <summary>
    /// The refusal of a write that would take the catalogue past its cap, or null. The catalogue is counted on every write
    /// (one query); only a write near the cap reads its items one by one, to tell new items from updates.
    /// </summary>
    private async Task<IngestionOutcome?> NewItemsPastTheCapAsync(IReadOnlyList<CatalogItem> batch, CancellationToken cancellationToken)
    {
        if (maxCatalogItems == int.MaxValue)
        {
            return null;
        }

        var held = await items.CountAsync(cancellationToken).ConfigureAwait(false);
        if (held + batch.Count <= maxCatalogItems)
        {
            return null;
        }

        var added = 0;
        foreach (var item in batch)
        {
            if (await items.GetAsync(item.ItemId, cancellationToken).ConfigureAwait(false) is null)
            {
                added++;
            }
        }

        return held + added <= maxCatalogItems ? null : IngestionOutcome.CatalogueFull(new CatalogueFull(maxCatalogItems, held, added));
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

/// <summary>A catalogue write refused because the catalogue would hold more than its cap: the cap, what it holds, what the write adds.</summary>
public sealed record CatalogueFull(int MaxItems, long Held, int Adding);

/// <summary>What became of one write request.</summary>
public sealed record IngestionOutcome(bool IsAccepted, int Received, int Stored, int Duplicates, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>Set when a catalogue write was refused for the catalogue's size (nothing was stored).</summary>
    public CatalogueFull? Full { get; init; }

    public static IngestionOutcome CatalogueFull(CatalogueFull full) => new(false, 0, 0, 0, []) { Full = full };

    /// <summary>Refused because the caller may not write what it sent (events of another shopper), not because it is invalid.</summary>
    public bool IsForbidden { get; init; }

    public static IngestionOutcome Accepted(int received, AppendResult result) =>
        new(true, received, result.Stored, result.Duplicates, []);

    public static IngestionOutcome Rejected(IReadOnlyList<ValidationError> errors) =>
        new(false, 0, 0, 0, errors);
}
