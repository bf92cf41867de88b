using System.Text;
using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// Brings a shop's event history in from a file, through the same door as <c>POST /api/events</c>: every row is
/// checked by <see cref="EventParser"/> and stored by the idempotent <see cref="IEventStore.AppendAsync"/>, in
/// batches of <see cref="BatchSize"/>. The file is streamed, never held whole. Unlike a request, an import is
/// not all or nothing: a bad row is reported (line, field, what is wrong) and skipped, and the rest goes in;
/// importing the same file again stores nothing new and counts every row as a duplicate.
/// </summary>
public sealed class HistoryImporter(IEventStore events, TimeProvider clock, RetentionPolicy retention)
{
    public const int BatchSize = IngestionLimits.MaxBatchSize;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = IngestionLimits.MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private readonly EventParser _parser = new(clock, retention);

    /// <summary>Only to explain rejections: the same rules with nothing too old.</summary>
    private readonly EventParser? _parserKeepingAll = retention.KeepsForever ? null : new EventParser(clock, RetentionPolicy.Forever);

    /// <summary>How many row errors the result keeps (all are counted); the first ones are what a person reads.</summary>
    public int MaxErrorsKept { get; init; } = 100;

    /// <summary>Imports the file at <paramref name="path"/> (UTF-8, with or without a byte order mark).</summary>
    public async Task<ImportResult> ImportFileAsync(
        string path, HistoryFormat format, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return await ImportAsync(text, format, progress, cancellationToken).ConfigureAwait(false);
    }

    public Task<ImportResult> ImportAsync(
        TextReader text, HistoryFormat format, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ImportAsync(text, HistoryFormats.ReaderFor(format), progress, cancellationToken);

    /// <summary>
    /// Reads every row with <paramref name="reader"/>, stores the valid ones and reports progress after every
    /// <see cref="BatchSize"/> rows. Throws <see cref="HistoryFormatException"/> when the file as a whole is unreadable.
    /// </summary>
    public async Task<ImportResult> ImportAsync(
        TextReader text, IHistoryReader reader, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new Tally(clock, MaxErrorsKept);
        var batch = new List<BehaviorEvent>(BatchSize);
        var now = clock.GetUtcNow();
        var rowErrors = new List<ValidationError>();

        // The store writes one batch while the next is parsed: two cores, two stages.
        Task<AppendResult>? writing = null;

        await foreach (var row in reader.ReadAsync(text, cancellationToken).ConfigureAwait(false))
        {
            tally.RowsRead++;
            if (Parse(row, now, rowErrors, out var olderThanRetention) is { } parsed)
            {
                batch.Add(parsed);
            }
            else
            {
                tally.Reject(row.Line, rowErrors, olderThanRetention);
            }

            if (batch.Count == BatchSize)
            {
                await WaitAsync().ConfigureAwait(false);
                var full = batch;
                writing = Task.Run(() => events.AppendAsync(full, cancellationToken), cancellationToken);
                batch = new List<BehaviorEvent>(BatchSize);
                now = clock.GetUtcNow();
            }

            if (tally.RowsRead % BatchSize == 0)
            {
                progress?.Report(tally.Progress());
            }
        }

        await WaitAsync().ConfigureAwait(false);
        if (batch.Count > 0)
        {
            tally.Add(await events.AppendAsync(batch, cancellationToken).ConfigureAwait(false));
        }

        progress?.Report(tally.Progress());
        return tally.Result();

        async Task WaitAsync()
        {
            if (writing is not null)
            {
                tally.Add(await writing.ConfigureAwait(false));
                writing = null;
            }
        }
    }

    /// <summary>The row's event, or null with <paramref name="errors"/> saying why (the caller adds the line).</summary>
    private BehaviorEvent? Parse(HistoryRow row, DateTimeOffset now, List<ValidationError> errors, out bool olderThanRetention)
    {
        errors.Clear();
        olderThanRetention = false;
        if (row.Error is { } readError)
        {
            errors.Add(new ValidationError(null, readError.Field, readError.Message));
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(row.Json, JsonOptions);
        }
        catch (JsonException e)
        {
            errors.Add(new ValidationError(null, "", $"is not valid JSON: {e.Message}"));
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ValidationError(null, "", "must be one JSON object (one event per line)."));
                return null;
            }

            if (JsonStrings.FirstInvalid(document.RootElement) is { } invalid)
            {
                errors.Add(new ValidationError(null, invalid, JsonStrings.InvalidMessage));
                return null;
            }

            var parsed = _parser.Parse(document.RootElement, 0, now, errors);
            if (parsed is null)
            {
                olderThanRetention = ExplainRetention(document.RootElement, now, errors);
            }

            return parsed;
        }
    }

    /// <summary>
    /// Old history is the common case of an import, so a timestamp rejected only for being older than the
    /// retention period says what to do about it: the rules with nothing too old would have taken it.
    /// </summary>
    private bool ExplainRetention(JsonElement element, DateTimeOffset now, List<ValidationError> errors)
    {
        var index = errors.FindIndex(e => e.Field == "timestamp");
        if (_parserKeepingAll is null || index < 0)
        {
            return false;
        }

        var withoutRetention = new List<ValidationError>();
        _parserKeepingAll.Parse(element, 0, now, withoutRetention);
        if (withoutRetention.Any(e => e.Field == "timestamp"))
        {
            return false;
        }

        errors[index] = errors[index] with
        {
            Message = $"{errors[index].Message} History older than that can only be imported with retention 0 (keep events forever).",
        };
        return true;
    }

    private sealed class Tally(TimeProvider clock, int maxErrorsKept)
    {
        private readonly long _started = clock.GetTimestamp();
        private readonly List<ImportError> _errors = [];
        private long _stored;
        private long _duplicates;
        private long _rejected;
        private long _olderThanRetention;

        public long RowsRead { get; set; }

        public void Add(AppendResult result)
        {
            _stored += result.Stored;
            _duplicates += result.Duplicates;
        }

        public void Reject(long line, List<ValidationError> rowErrors, bool olderThanRetention)
        {
            _rejected++;
            if (olderThanRetention)
            {
                _olderThanRetention++;
            }

            foreach (var error in rowErrors)
            {
                if (_errors.Count < maxErrorsKept)
                {
                    _errors.Add(new ImportError(line, error.Field, error.Message));
                }
            }
        }

        public ImportProgress Progress() => new(RowsRead, _stored, _duplicates, _rejected, clock.GetElapsedTime(_started));

        public ImportResult Result() =>
            new(RowsRead, _stored, _duplicates, _rejected, _olderThanRetention, _errors, clock.GetElapsedTime(_started));
    }
}

/// <summary>How far an import has got.</summary>
public readonly record struct ImportProgress(long RowsRead, long Stored, long Duplicates, long Rejected, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? RowsRead / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// What an import did. <see cref="Errors"/> holds the first row errors (line, field, message);
/// <see cref="Rejected"/> counts every rejected row.
/// </summary>
public sealed record ImportResult(
    long RowsRead, long Stored, long Duplicates, long Rejected, long OlderThanRetention, IReadOnlyList<ImportError> Errors, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? RowsRead / Elapsed.TotalSeconds : 0;
}
