using System.Runtime.CompilerServices;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// Training rows kept as compact segments in the model store, fed by the event store's change feed: each update reads
/// only what was stored since the last one, appends it as a new segment, and compacts when an erasure, expired rows
/// or too many segments call for it (<see cref="SegmentCompaction"/>). A retrain then reads the segments, not the
/// event store. Rows hold what the store holds: pseudonymised user ids.
/// </summary>
public sealed class TrainingSegments(IEventChangeFeed feed, IModelBlobStore store, SegmentOptions options, TimeProvider clock)
{
    private readonly SegmentCompaction _compaction = new(store, new ErasureLog(store, clock), options, clock);

    public SegmentOptions Options => options;

    /// <summary>Catches up with the change feed, compacts when due, and returns the manifest that names the rows.</summary>
    public async Task<SegmentManifest> UpdateAsync(CancellationToken cancellationToken = default)
    {
        var (manifest, etag) = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        var outdated = new List<SegmentInfo>();
        if (manifest is null || etag is null || !manifest.Fits(options))
        {
            // New settings (window, impressions) or none yet: rebuild from the start of the feed; old segments go once the new manifest is in.
            outdated.AddRange(manifest?.Segments ?? []);
            manifest = new SegmentManifest { Generation = (manifest?.Generation ?? 0) + 1, WindowDays = options.WindowDays, KeepsImpressions = options.KeepImpressions };
            etag = await CommitAsync(store, manifest, etag, cancellationToken).ConfigureAwait(false);
        }

        (manifest, etag) = await CatchUpAsync(manifest, etag, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(outdated, cancellationToken).ConfigureAwait(false);
        return await _compaction.CompactIfDueAsync(manifest, etag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows of <paramref name="manifest"/>'s segments whose time is at or after <paramref name="from"/> (null: all).</summary>
    public async IAsyncEnumerable<BehaviorEvent> ReadAsync(
        SegmentManifest manifest, DateTimeOffset? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var segment in manifest.Segments)
        {
            using var content = await DownloadAsync(store, segment.Name, cancellationToken).ConfigureAwait(false);
            foreach (var e in DamagedSegmentsException.Rows(content, segment))
            {
                if (from is null || e.Timestamp >= from)
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>A segment's compressed bytes, in memory (decoding then needs no I/O).</summary>
    internal static async Task<MemoryStream> DownloadAsync(IModelBlobStore store, string name, CancellationToken cancellationToken)
    {
        using var download = await store.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new DamagedSegmentsException(name, "is named in the manifest but missing");
        var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Writes a segment (a fresh name: a rerun never overwrites one) and returns what the manifest records of it.</summary>
    internal static async Task<SegmentInfo> WriteSegmentAsync(IModelBlobStore store, IEnumerable<BehaviorEvent> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tally = new RowTally();
        using var content = new MemoryStream();
        SegmentFile.Write(content, tally.Count(rows));
        content.Position = 0;
        var name = SegmentBlobNames.NewSegment(now);
        await store.PutAsync(name, content, BlobCondition.IfNotExists, cancellationToken).ConfigureAwait(false);
        return new SegmentInfo(name, tally.Rows, content.Length, tally.Oldest, tally.Newest);
    }

    /// <summary>The manifest, committed on the tag it was read with (or only if none exists yet); returns the new tag.</summary>
    internal static async Task<string> CommitAsync(IModelBlobStore store, SegmentManifest manifest, string? etag, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(manifest.ToJson());
        var condition = etag is null ? BlobCondition.IfNotExists : BlobCondition.IfMatch(etag);
        return await store.PutAsync(SegmentBlobNames.Manifest, content, condition, cancellationToken).ConfigureAwait(false);
    }

    internal async Task DeleteAsync(IEnumerable<SegmentInfo> segments, CancellationToken cancellationToken)
    {
        foreach (var segment in segments)
        {
            await store.DeleteAsync(segment.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the feed from the manifest's position, a segment's worth at a time; each segment is written before the
    /// manifest that names it and carries the position after it is committed.
    /// </summary>
    private async Task<(SegmentManifest, string)> CatchUpAsync(SegmentManifest manifest, string etag, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (rows, position, full) = await ReadBatchAsync(manifest.Position, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0 && position == manifest.Position)
            {
                return (manifest, etag);
            }

            manifest = rows.Count == 0
                ? manifest with { Position = position }
                : manifest with
                {
                    Position = position,
                    Generation = manifest.Generation + 1,
                    Segments = [.. manifest.Segments, await WriteSegmentAsync(store, rows, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)],
                };
            etag = await CommitAsync(store, manifest, etag, cancellationToken).ConfigureAwait(false);
            if (!full)
            {
                return (manifest, etag);
            }
        }
    }

    /// <summary>Feed pages until one is empty or a segment is full; impressions are left out unless kept.</summary>
    private async Task<(List<BehaviorEvent> Rows, string? Position, bool Full)> ReadBatchAsync(string? position, CancellationToken cancellationToken)
    {
        var rows = new List<BehaviorEvent>();
        var read = 0;
        while (read < options.EventsPerSegment)
        {
            var page = await feed.ReadChangesAsync(position, options.FeedPageSize, cancellationToken).ConfigureAwait(false);
            position = page.Position ?? position;
            if (page.Events.Count == 0)
            {
                return (rows, position, false);
            }

            read += page.Events.Count;
            rows.AddRange(page.Events.Where(e => options.KeepImpressions || e.Type != EventType.Impression));
        }

        return (rows, position, true);
    }

    /// <summary>
    /// Starts the segments afresh after <see cref="DamagedSegmentsException"/>: an empty manifest of a new series (new id,
    /// so the next run's key differs from any before), positioned at the start of the change feed, replaces whatever the
    /// manifest blob holds. The next <see cref="UpdateAsync"/> reads the whole feed again. The segments the old manifest
    /// named (when it can still be read) are deleted once the fresh one is in, as at compaction; those of an unreadable
    /// manifest are orphans that a compaction deletes after the grace period.
    /// </summary>
    public async Task RebuildAsync(CancellationToken cancellationToken = default)
    {
        SegmentManifest? old = null;
        try
        {
            (old, _) = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DamagedSegmentsException)
        {
            // Nothing to learn from it: its segments are left to the orphan sweep.
        }

        var etag = await store.GetETagAsync(SegmentBlobNames.Manifest, cancellationToken).ConfigureAwait(false);
        var fresh = new SegmentManifest { Generation = 1, WindowDays = options.WindowDays, KeepsImpressions = options.KeepImpressions };
        await CommitAsync(store, fresh, etag, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(old?.Segments ?? [], cancellationToken).ConfigureAwait(false);
    }

    private async Task<(SegmentManifest?, string?)> ReadManifestAsync(CancellationToken cancellationToken)
    {
        using var download = await store.GetAsync(SegmentBlobNames.Manifest, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return (null, null);
        }

        try
        {
            return (SegmentManifest.FromJson(download.Content), download.ETag);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new DamagedSegmentsException(SegmentBlobNames.Manifest, "is not a valid manifest", e);
        }
    }

    /// <summary>Counts rows and their time span while they stream into a segment.</summary>
    private sealed class RowTally
    {
        public long Rows { get; private set; }
        public DateTimeOffset? Oldest { get; private set; }
        public DateTimeOffset? Newest { get; private set; }

        public IEnumerable<BehaviorEvent> Count(IEnumerable<BehaviorEvent> rows)
        {
            foreach (var e in rows)
            {
                Rows++;
                Oldest = Oldest is { } o && o <= e.Timestamp ? o : e.Timestamp;
                Newest = Newest is { } n && n >= e.Timestamp ? n : e.Timestamp;
                yield return e;
            }
        }
    }
}
