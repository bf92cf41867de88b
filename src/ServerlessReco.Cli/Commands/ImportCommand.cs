using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Ingestion.History;
using ServerlessReco.Core.Storage;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// <c>reco import</c>: a shop's event history from CSV, JSON Lines or MovieLens into the configured store,
/// through the same validation and idempotency as <c>POST /api/events</c>. Progress and rejected rows go to
/// standard error, the summary line to standard output. Exit code 0 when every row was taken, 1 when some
/// were rejected, 2 when the command line (or the file's header) makes no sense.
/// </summary>
public sealed class ImportCommand : ICliCommand
{
    /// <summary>Rejected rows listed one by one; the rest are counted (a wrong setting can reject a whole file).</summary>
    private const int MaxErrorsListed = 20;

    private readonly TextWriter _diagnostics;
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;

    public ImportCommand()
        : this(Console.Error, environment: null)
    {
    }

    /// <param name="diagnostics">Where progress and rejected rows are written (standard error).</param>
    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public ImportCommand(TextWriter diagnostics, IEnumerable<KeyValuePair<string, string?>>? environment)
    {
        _diagnostics = diagnostics;
        _environment = environment;
    }

    public string Name => "import";

    public string Summary => "import event history from CSV, JSON Lines or MovieLens u.data";

    public string Usage => $"""
        reco import --file PATH [--format csv|jsonl|movielens] [--data-dir DIR] [--retention-days N]

        Imports historical events through the same validation and idempotency as POST /api/events, in batches
        of {HistoryImporter.BatchSize}. Importing a file twice stores nothing the second time.
          --file PATH            the history file
          --format F             csv (header row naming eventId,userId,itemId,type,value,timestamp,sessionId,
                                 recommendationId; timestamp ISO 8601 or Unix seconds), jsonl (one POST /api/events
                                 object per line) or movielens (u.data: user, item, rating, Unix seconds → rating
                                 events). Guessed from the name when absent: .csv, .jsonl/.ndjson, u.data/.data.
        {CliServices.ShortcutUsage}
        Rows older than the retention period are rejected: old history (MovieLens is from 1997-98) needs
        --retention-days 0. Exit code 0: every row imported; 1: some rows rejected (listed on stderr); 2: usage error.
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var path = arguments.Option("file") ?? throw new CliUsageException("--file is required.");
        var formatName = arguments.Option("format");
        HistoryFormat format;
        if (formatName is not null)
        {
            if (!HistoryFormats.TryParse(formatName, out format))
            {
                throw new CliUsageException($"--format must be one of {string.Join(", ", HistoryFormats.Names)}, not '{formatName}'.");
            }
        }
        else
        {
            format = HistoryFormats.FromFileName(path)
                ?? throw new CliUsageException($"cannot tell the format of '{Path.GetFileName(path)}' from its name: give --format ({string.Join(", ", HistoryFormats.Names)}).");
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"there is no file '{path}'.");
        }

        await using var services = await CliServices.BuildAsync(arguments, _environment, cancellationToken);
        if (arguments.Unread().Count > 0 || arguments.Positional.Count > 0)
        {
            throw new CliUsageException($"unknown arguments: {string.Join(" ", arguments.Unread().Select(o => "--" + o).Concat(arguments.Positional))}.");
        }

        var retention = services.GetRequiredService<RetentionPolicy>();
        var clock = services.GetRequiredService<TimeProvider>();
        var importer = new HistoryImporter(services.GetRequiredService<IEventStore>(), clock, retention);
        _diagnostics.WriteLine($"reco import: {path} as {HistoryFormats.NameOf(format)} into {RecoComposition.DescribeStorage(services)}, retention {Describe(retention)}");

        ImportResult result;
        try
        {
            result = await importer.ImportFileAsync(path, format, new ThrottledProgress(_diagnostics, clock), cancellationToken).ConfigureAwait(false);
        }
        catch (HistoryFormatException e)
        {
            throw new CliUsageException($"{path}: {e.Message}");
        }

        var listed = result.Errors.Take(MaxErrorsListed).ToList();
        foreach (var error in listed)
        {
            _diagnostics.WriteLine($"{path}:{error.Line}: {(error.Field.Length == 0 ? "" : error.Field + " ")}{error.Message}");
        }

        var unlisted = result.Rejected - listed.Select(e => e.Line).Distinct().Count();
        if (unlisted > 0)
        {
            _diagnostics.WriteLine($"… and {unlisted.ToString("N0", CultureInfo.InvariantCulture)} more rejected rows.");
        }

        if (result.OlderThanRetention > 0)
        {
            _diagnostics.WriteLine(
                $"{result.OlderThanRetention.ToString("N0", CultureInfo.InvariantCulture)} rows are older than the retention period of {retention.Days} days. " +
                "To import old history (MovieLens is from 1997-98), keep events forever: --retention-days 0 (or Reco__RetentionDays=0).");
        }

        output.WriteLine(Summarize(result));
        return result.Rejected == 0 ? 0 : 1;
    }

    internal static string Summarize(ImportResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"imported {r.RowsRead:N0} rows: {r.Stored:N0} stored, {r.Duplicates:N0} duplicates, {r.Rejected:N0} rejected in {r.Elapsed.TotalSeconds:F1} s ({r.RowsPerSecond:N0} rows/s)");

    private static string Describe(RetentionPolicy retention) =>
        retention.KeepsForever ? "forever" : string.Create(CultureInfo.InvariantCulture, $"{retention.Days} days");

    /// <summary>Writes progress about once a second, however often it is reported.</summary>
    private sealed class ThrottledProgress(TextWriter writer, TimeProvider clock) : IProgress<ImportProgress>
    {
        private long _lastWritten = clock.GetTimestamp();

        public void Report(ImportProgress value)
        {
            if (clock.GetElapsedTime(_lastWritten) < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _lastWritten = clock.GetTimestamp();
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {value.RowsRead:N0} rows read, {value.Stored:N0} stored, {value.Duplicates:N0} duplicates, {value.Rejected:N0} rejected ({value.RowsPerSecond:N0} rows/s)"));
        }
    }
}
