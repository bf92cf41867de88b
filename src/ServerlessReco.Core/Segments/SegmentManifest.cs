using System.Text.Json;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// <c>training/manifest.json</c>: which segments hold the training rows, and the change-feed position after the
/// last one. It is the one thing a run commits (conditionally on its entity tag), so a segment counts only once the
/// manifest names it and the position moves only together with the segment that covers it: a run that dies at any
/// point leaves the previous manifest, and the next run reads the same changes again.
/// </summary>
public sealed record SegmentManifest
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Names this series of manifests; a rebuilt one gets a new id, so its generations never repeat an old key.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Grows whenever the rows change (a segment appended, rows dropped at compaction); never otherwise.</summary>
    public long Generation { get; init; }

    /// <summary>The change-feed position just after the rows of the last segment; null before the first read.</summary>
    public string? Position { get; init; }

    /// <summary>The window the rows were cut to (days, 0: every event), as <see cref="SegmentOptions.WindowDays"/> was.</summary>
    public int WindowDays { get; init; }

    /// <summary>Whether impression events were kept (<see cref="SegmentOptions.KeepImpressions"/>).</summary>
    public bool KeepsImpressions { get; init; }

    public IReadOnlyList<SegmentInfo> Segments { get; init; } = [];

    /// <summary>Erasure-log entries already applied to the segments, so they are not applied again.</summary>
    public IReadOnlyList<string> AppliedErasures { get; init; } = [];

    /// <summary>What a retrain compares with its last run: equal keys, equal rows.</summary>
    public string Key => $"{Id}/{Generation}";

    public long Events => Segments.Sum(s => s.Events);

    public long Bytes => Segments.Sum(s => s.Bytes);

    public DateTimeOffset? Newest => Segments.Max(s => s.Newest);

    /// <summary>Whether these rows were cut and filtered as <paramref name="options"/> asks (otherwise they are rebuilt).</summary>
    public bool Fits(SegmentOptions options) => WindowDays == options.WindowDays && KeepsImpressions == options.KeepImpressions;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static SegmentManifest FromJson(Stream json) =>
        JsonSerializer.Deserialize<SegmentManifest>(json, Json) ?? throw new InvalidDataException("The segment manifest is empty.");
}

/// <summary>One segment: its blob, how many rows and bytes, and the time span of its events.</summary>
public sealed record SegmentInfo(string Name, long Events, long Bytes, DateTimeOffset? Oldest, DateTimeOffset? Newest);

/// <summary>How training segments are kept.</summary>
public sealed record SegmentOptions
{
    /// <summary>Days of events kept, up to now (the retrain window); older rows are dropped at compaction. 0: every event.</summary>
    public int WindowDays { get; init; }

    /// <summary>
    /// Whether impression events are kept. They are what was shown, not what a shopper did, so they are left out
    /// unless training gives them a weight (<c>EventWeights.Impression</c>).
    /// </summary>
    public bool KeepImpressions { get; init; }

    /// <summary>Events read from the change feed into one segment at most (a first run over a large store writes several).</summary>
    public int EventsPerSegment { get; init; } = 250_000;

    /// <summary>Events asked for per change-feed read.</summary>
    public int FeedPageSize { get; init; } = 1000;

    /// <summary>More segments than this are merged into one.</summary>
    public int MaxSegments { get; init; } = 24;

    /// <summary>
    /// How old a segment no manifest names must be before a compaction deletes it as an orphan: longer than any run (a
    /// Functions run stops at 10 minutes), so a live run's segment that is written but not yet committed is never deleted.
    /// </summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Rows older than the window by more than this are dropped by a compaction of their own (so it runs about daily, not hourly).</summary>
    public TimeSpan ExpiryGrace { get; init; } = TimeSpan.FromDays(1);
}

/// <summary>Where segments, their manifest and the erasure log live in the model store.</summary>
public static class SegmentBlobNames
{
    public const string Manifest = "training/manifest.json";
    public const string SegmentsPrefix = "training/segments/";
    public const string ErasuresPrefix = "training/erasures/";

    /// <summary>A fresh segment name: the time first, so names sort by age, then a random suffix.</summary>
    public static string NewSegment(DateTimeOffset now) => $"{SegmentsPrefix}{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.seg";

    /// <summary>When a segment was written, from its name (<see cref="NewSegment"/>); null for a name of another form (never deleted as an orphan).</summary>
    public static DateTimeOffset? WrittenAt(string name) =>
        name.StartsWith(SegmentsPrefix, StringComparison.Ordinal) && name.Length >= SegmentsPrefix.Length + 19
        && DateTimeOffset.TryParseExact(
            name.AsSpan(SegmentsPrefix.Length, 19), "yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}
