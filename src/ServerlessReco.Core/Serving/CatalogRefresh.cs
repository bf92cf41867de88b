using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Serving's catalogue load: the first one reads the whole catalogue, later ones only the items written since the last
/// read (<see cref="IItemStore.ReadChangedSinceAsync"/>), merged into the held snapshot (a re-PUT item, e.g. now
/// unavailable, replaces the held one). Every <paramref name="fullReadInterval"/> (<see cref="ServingOptions.CatalogFullReadInterval"/>), or when the store could not use the cursor,
/// the whole catalogue is read again as a safety net. Loads never overlap (<see cref="Refreshing{T}"/> runs one at a time),
/// so the cursor needs no lock.
/// </summary>
/// <param name="fullReadInterval">How often the whole catalogue is read again although changes are merged.</param>
internal sealed class CatalogRefresh(IItemStore items, TimeProvider time, TimeSpan fullReadInterval)
{
    private CatalogCursor? _cursor;
    private DateTimeOffset _fullReadAt = DateTimeOffset.MinValue;

    /// <summary>The next snapshot; <paramref name="previous"/> itself when nothing changed (so nothing is rebuilt).</summary>
    public async Task<CatalogSnapshot?> LoadAsync(CatalogSnapshot? previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var full = previous is null || _cursor is null || now - _fullReadAt >= fullReadInterval;
        var changes = await items.ReadChangedSinceAsync(full ? null : _cursor, cancellationToken).ConfigureAwait(false);
        _cursor = changes.Cursor;
        if (changes.Complete)
        {
            _fullReadAt = now;
            return new CatalogSnapshot(changes.Items, now);
        }

        if (changes.Items.Count == 0 || previous is null || AlreadyHeld(previous, changes.Items))
        {
            return previous;
        }

        // Later items win in the snapshot's constructor: the held catalogue first, then the changes.
        return new CatalogSnapshot(previous.ById.Values.Concat(changes.Items), now);
    }

    /// <summary>True when every changed item equals the one held: a store that re-reads its boundary second returns such items.</summary>
    private static bool AlreadyHeld(CatalogSnapshot previous, IReadOnlyList<CatalogItem> changed) =>
        changed.All(item => previous.ById.TryGetValue(item.ItemId, out var held) && Same(held, item));

    private static bool Same(CatalogItem a, CatalogItem b) =>
        a with { Tags = b.Tags } == b && a.Tags.SequenceEqual(b.Tags, StringComparer.Ordinal);
}
