using System.Text.Json;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// The pseudonyms of erased shoppers, one small blob each under <c>training/erasures/</c>. A change feed in
/// latest-version mode does not report deletes, so an erasure reaches the training segments through this log: the
/// next compaction drops the user's rows from every segment and then removes the entry. The erase path writes the
/// entry after the store has erased the events, so a change-feed read that starts later cannot find them again.
/// </summary>
public sealed class ErasureLog(IModelBlobStore store, TimeProvider clock)
{
    /// <summary>Records that the user with this stored pseudonym was erased.</summary>
    public async Task RecordAsync(string pseudonym, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pseudonym);
        var now = clock.GetUtcNow();
        var name = $"{SegmentBlobNames.ErasuresPrefix}{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.json";
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new ErasureEntry(name, pseudonym, now), SegmentManifest.Json));
        await store.PutAsync(name, content, BlobCondition.IfNotExists, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every entry not yet removed, oldest first.</summary>
    public async Task<IReadOnlyList<ErasureEntry>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<ErasureEntry>();
        await foreach (var name in store.ListAsync(SegmentBlobNames.ErasuresPrefix, cancellationToken).ConfigureAwait(false))
        {
            using var download = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (download is not null)
            {
                var entry = await JsonSerializer.DeserializeAsync<ErasureEntry>(download.Content, SegmentManifest.Json, cancellationToken).ConfigureAwait(false);
                entries.Add(entry! with { Name = name });
            }
        }

        return entries;
    }

    /// <summary>Removes entries that every segment has had applied.</summary>
    public async Task RemoveAsync(IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        foreach (var name in names)
        {
            await store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One erasure: the entry's blob name, the stored pseudonym of the erased user, and when.</summary>
public sealed record ErasureEntry(string Name, string UserId, DateTimeOffset ErasedAt);
