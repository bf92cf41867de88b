using System.Diagnostics;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Storage;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Lab.Benchmarks;

/// <summary>What a retrain's read step costs, read both ways, in one run on one store.</summary>
/// <param name="FullRead">The whole window read from the event store into the training matrix (the read before segments).</param>
/// <param name="FirstSegmentRun">The first run with segments: the change feed from the start, segments written, then read.</param>
/// <param name="IncrementalRun">A run after <paramref name="NewEvents"/> more events: only those from the feed, then all segments read.</param>
public sealed record RetrainReadResult(
    long StoredEvents, long NewEvents, ReadCost FullRead, ReadCost FirstSegmentRun, ReadCost IncrementalRun, long SegmentBytes, long SegmentRows)
{
    /// <summary>Compressed segment bytes per training row.</summary>
    public double SegmentBytesPerEvent => SegmentRows == 0 ? 0 : (double)SegmentBytes / SegmentRows;

    /// <summary>Events read from the event store by the incremental run, as a share of the full read's.</summary>
    public double StoreEventsRatio => FullRead.StoreEvents == 0 ? 0 : (double)IncrementalRun.StoreEvents / FullRead.StoreEvents;

    /// <summary>Seconds spent reading the event store by the incremental run, against the full read's.</summary>
    public double StoreSecondsRatio => FullRead.StoreSeconds == 0 ? 0 : IncrementalRun.StoreSeconds / FullRead.StoreSeconds;

    /// <summary>The whole read step (store, segments, matrix) of the incremental run against the full read's.</summary>
    public double TotalSecondsRatio => FullRead.TotalSeconds == 0 ? 0 : IncrementalRun.TotalSeconds / FullRead.TotalSeconds;
}

/// <summary>
/// One read step: events read from the event store and the seconds that took (for segments: the change-feed read and
/// the segment writes), then the seconds to build the matrix (for segments: reading them back), and the request units the
/// store reported (0 where it reports none; the Cosmos test server charges 1 per request whatever it does).
/// </summary>
public sealed record ReadCost(long StoreEvents, double StoreSeconds, double MatrixSeconds, double RequestUnits, long TrainingRows)
{
    public double TotalSeconds => StoreSeconds + MatrixSeconds;
}

/// <summary>
/// Measures a retrain's read step with a share of new events against a full read of the window, on any store that has a
/// change feed: loads a generated shop, reads it fully, builds the segments, appends the new events, and reads again both
/// ways. The same store, the same process, the same run.
/// </summary>
public sealed class RetrainReadBenchmark(IEventStore events, IEventChangeFeed feed, IModelBlobStore models, Func<double>? requestUnits = null)
{
    private readonly Func<double> _requestUnits = requestUnits ?? (() => 0);

    public async Task<RetrainReadResult> RunAsync(int users, int items, int storedEvents, double newShare, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var shop = SampleShop.Generate(7, now, items, users, storedEvents);
        progress?.Report($"storing {shop.Events.Count:N0} events");
        foreach (var chunk in shop.Events.Chunk(1000))
        {
            await events.AppendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        var counting = new CountingFeed(feed);
        var segments = new TrainingSegments(counting, models, new SegmentOptions(), TimeProvider.System);
        progress?.Report("first run with segments (the feed from the start)");
        var first = await SegmentRunAsync(segments, counting, cancellationToken).ConfigureAwait(false);

        var added = shop.Events.Take((int)Math.Round(shop.Events.Count * newShare))
            .Select((e, i) => e with { EventId = $"new-{i}", Timestamp = now })
            .ToList();
        await events.AppendAsync(added, cancellationToken).ConfigureAwait(false);

        progress?.Report("full read (warm-up)");
        await FullReadAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report("full read");
        var full = await FullReadAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report($"incremental run after {added.Count:N0} new events");
        var incremental = await SegmentRunAsync(segments, counting, cancellationToken).ConfigureAwait(false);
        var manifest = await segments.UpdateAsync(cancellationToken).ConfigureAwait(false);
        return new RetrainReadResult(shop.Events.Count + added.Count, added.Count, full, first, incremental, manifest.Bytes, manifest.Events);
    }

    private async Task<ReadCost> FullReadAsync(CancellationToken cancellationToken)
    {
        var units = _requestUnits();
        var clock = Stopwatch.StartNew();
        var data = await InteractionMatrixBuilder.BuildAsync(events.ReadAllAsync(null, null, cancellationToken), new TrainingOptions(), null, cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;

        // Store and matrix are one stream here; the store's share is the whole of it (the matrix cost is in both ways alike).
        return new ReadCost(data.Summary.EventsRead, seconds, 0, _requestUnits() - units, data.Summary.EventsRead);
    }

    private async Task<ReadCost> SegmentRunAsync(TrainingSegments segments, CountingFeed counting, CancellationToken cancellationToken)
    {
        var (eventsBefore, units) = (counting.Events, _requestUnits());
        var clock = Stopwatch.StartNew();
        var manifest = await segments.UpdateAsync(cancellationToken).ConfigureAwait(false);
        var storeSeconds = clock.Elapsed.TotalSeconds;
        var storeUnits = _requestUnits() - units;
        clock.Restart();
        var data = await InteractionMatrixBuilder.BuildAsync(segments.ReadAsync(manifest, null, cancellationToken), new TrainingOptions(), null, cancellationToken).ConfigureAwait(false);
        return new ReadCost(counting.Events - eventsBefore, storeSeconds, clock.Elapsed.TotalSeconds, storeUnits, data.Summary.EventsRead);
    }

    /// <summary>Counts the events the change feed hands out.</summary>
    private sealed class CountingFeed(IEventChangeFeed inner) : IEventChangeFeed
    {
        public long Events { get; private set; }

        public async Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default)
        {
            var page = await inner.ReadChangesAsync(position, maxEvents, cancellationToken).ConfigureAwait(false);
            Events += page.Events.Count;
            return page;
        }
    }
}
