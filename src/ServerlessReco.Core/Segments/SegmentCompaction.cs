using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// Merges the segments into one and drops, on the way, the rows of erased users (from the erasure log) and the rows
/// older than the window. It runs when an erasure is pending, when rows have expired by more than a grace period,
/// or when there are too many segments. The merged segment is written before the manifest that names it; the old
/// segments and the applied log entries are removed only after that commit, so a crash leaves at worst orphans
/// that the next compaction removes, never a manifest naming a missing segment.
/// </summary>
internal sealed class SegmentCompaction(IModelBlobStore store, ErasureLog erasures, SegmentOptions options, TimeProvider clock)
{
    public async Task<SegmentManifest> CompactIfDueAsync(SegmentManifest manifest, string etag, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var log = await erasures.ReadAsync(cancellationToken).ConfigureAwait(false);
        var pending = log.Where(e => !manifest.AppliedErasures.Contains(e.Name, StringComparer.Ordinal)).ToList();
        DateTimeOffset? cutoff = options.WindowDays > 0 ? now.AddDays(-options.WindowDays) : null;
        var expired = cutoff is { } c && manifest.Segments.Any(s => s.Oldest < c - options.ExpiryGrace);
        if (pending.Count == 0 && !expired && manifest.Segments.Count <= options.MaxSegments)
        {
            return manifest;
        }

        var erased = pending.Select(e => e.UserId).ToHashSet(StringComparer.Ordinal);
        var filter = new RowFilter(erased, cutoff);
        var segments = await DownloadAllAsync(manifest, cancellationToken).ConfigureAwait(false);
        var merged = await TrainingSegments.WriteSegmentAsync(store, filter.Keep(segments), now, cancellationToken).ConfigureAwait(false);
        var compacted = manifest with
        {
            Generation = manifest.Generation + (filter.Dropped > 0 ? 1 : 0),
            Segments = merged.Events == 0 ? [] : [merged],

            // Entries no longer in the log need no remembering; the ones applied now are removed from the log below.
            AppliedErasures = [.. log.Select(e => e.Name)],
        };
        await TrainingSegments.CommitAsync(store, compacted, etag, cancellationToken).ConfigureAwait(false);
        await RemoveOrphansAsync(compacted, cancellationToken).ConfigureAwait(false);
        await erasures.RemoveAsync(pending.Select(e => e.Name), cancellationToken).ConfigureAwait(false);
        return compacted;
    }

    /// <summary>The compressed bytes of every segment (decoding them one by one then needs no I/O).</summary>
    private async Task<List<MemoryStream>> DownloadAllAsync(SegmentManifest manifest, CancellationToken cancellationToken)
    {
        var buffers = new List<MemoryStream>(manifest.Segments.Count);
        foreach (var segment in manifest.Segments)
        {
            buffers.Add(await TrainingSegments.DownloadAsync(store, segment.Name, cancellationToken).ConfigureAwait(false));
        }

        return buffers;
    }

    /// <summary>Passes every row but the erased users' and the expired ones, counting those it drops.</summary>
    private sealed class RowFilter(HashSet<string> erased, DateTimeOffset? cutoff)
    {
        public long Dropped { get; private set; }

        public IEnumerable<BehaviorEvent> Keep(IEnumerable<MemoryStream> segments)
        {
            foreach (var segment in segments)
            {
                using (segment)
                {
                    foreach (var e in SegmentFile.Read(segment))
                    {
                        if (erased.Contains(e.UserId) || e.Timestamp < cutoff)
                        {
                            Dropped++;
                            continue;
                        }

                        yield return e;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Deletes every segment the committed manifest does not name: the merged-away ones, and those of runs that died
    /// before their commit (a run still going would now fail its own commit, which is conditional on the old tag).
    /// </summary>
    private async Task RemoveOrphansAsync(SegmentManifest manifest, CancellationToken cancellationToken)
    {
        var named = manifest.Segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<string>();
        await foreach (var name in store.ListAsync(SegmentBlobNames.SegmentsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!named.Contains(name))
            {
                orphans.Add(name);
            }
        }

        foreach (var name in orphans)
        {
            await store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}
