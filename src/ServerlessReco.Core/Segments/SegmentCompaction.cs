using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// Merges the segments into one and drops, on the way, the rows of erased users (from the erasure log) and the rows
/// older than the window. It runs when an erasure is pending, when rows have expired by more than a grace period,
/// or when there are too many segments. The merged segment is written before the manifest that names it; the old
/// segments and the applied log entries are removed only after that commit, so a crash leaves at worst orphans
/// that a later compaction removes, never a manifest naming a missing segment. A segment no manifest names is an orphan
/// only once it is older than <see cref="SegmentOptions.OrphanGrace"/> (longer than any run), so a segment another run
/// has just written and is about to commit is never taken for one.
/// </summary>
internal sealed class SegmentCompaction(IModelBlobStore store, ErasureLog erasures, SegmentOptions options, TimeProvider clock)
{
    public async Task<SegmentManifest> CompactIfDueAsync(SegmentManifest manifest, string etag, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var log = await erasures.ReadAsync(cancellationToken).ConfigureAwait(false);
        var pending = log.Where(e => !manifest.AppliedErasures.Contains(e.Name, StringComparer.Ordinal)).ToList();

        // Entries applied by an earlier compaction whose removal did not happen (a crash or a store error just after its commit).
        await erasures.RemoveAsync(log.Except(pending).Select(e => e.Name), cancellationToken).ConfigureAwait(false);
        DateTimeOffset? cutoff = options.WindowDays > 0 ? now.AddDays(-options.WindowDays) : null;
        var expired = cutoff is { } c && manifest.Segments.Any(s => s.Oldest < c - options.ExpiryGrace);
        if (pending.Count == 0 && !expired && manifest.Segments.Count <= options.MaxSegments)
        {
            return manifest;
        }

        var erased = pending.Select(e => e.UserId).ToHashSet(StringComparer.Ordinal);
        var filter = new RowFilter(erased, cutoff);
        var segments = await DownloadAllAsync(manifest, cancellationToken).ConfigureAwait(false);
        var merged = await TrainingSegments.WriteSegmentAsync(store, filter.Keep(segments.Zip(manifest.Segments)), now, cancellationToken).ConfigureAwait(false);
        var compacted = manifest with
        {
            Generation = manifest.Generation + (filter.Dropped > 0 ? 1 : 0),
            Segments = merged.Events == 0 ? [] : [merged],

            // Entries no longer in the log need no remembering; the ones applied now are removed from the log below.
            AppliedErasures = [.. log.Select(e => e.Name)],
        };
        await TrainingSegments.CommitAsync(store, compacted, etag, cancellationToken).ConfigureAwait(false);
        await RemoveMergedAsync(manifest, compacted, cancellationToken).ConfigureAwait(false);
        await RemoveOrphansAsync(compacted, now, cancellationToken).ConfigureAwait(false);
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

        public IEnumerable<BehaviorEvent> Keep(IEnumerable<(MemoryStream Content, SegmentInfo Info)> segments)
        {
            foreach (var (content, info) in segments)
            {
                using (content)
                {
                    foreach (var e in DamagedSegmentsException.Rows(content, info))
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
    /// Deletes the segments merged away (named by the manifest before, not after): at once, since they may hold an erased
    /// user's rows and nothing reads them once the new manifest is in (the lease keeps other runs away).
    /// </summary>
    private async Task RemoveMergedAsync(SegmentManifest before, SegmentManifest after, CancellationToken cancellationToken)
    {
        var kept = after.Segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var segment in before.Segments.Where(s => !kept.Contains(s.Name)))
        {
            await store.DeleteAsync(segment.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the segments no manifest names that are older than the grace period: those of runs that died before their
    /// commit. A younger one may be a segment a live run has written and not committed yet, so it waits for a later compaction.
    /// </summary>
    private async Task RemoveOrphansAsync(SegmentManifest manifest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var named = manifest.Segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<string>();
        await foreach (var name in store.ListAsync(SegmentBlobNames.SegmentsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!named.Contains(name) && SegmentBlobNames.WrittenAt(name) is { } written && now - written > options.OrphanGrace)
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
