using System.CommandLine;
using System.Globalization;
using System.Text;
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
public sealed class ImportCommand : RecoCommand
{
    /// <summary>Rejected rows listed one by one; the rest are counted (a wrong setting can reject a whole file).</summary>
    private const int MaxErrorsListed = 20;

    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();

    private readonly Option<string> _file = new("--file")
    {
        HelpName = "PATH",
        Required = true,
        Description = "the history file",
    };

    private readonly Option<string?> _format = new("--format")
    {
        HelpName = "csv|jsonl|movielens",
        Description = "csv (header row naming eventId,userId,itemId,type,value,timestamp,sessionId,recommendationId; "
            + "timestamp ISO 8601 or Unix seconds), jsonl (one POST /api/events object per line) or movielens (u.data: "
            + "user, item, rating, Unix seconds → rating events). Guessed from the name when absent: .csv, .jsonl/.ndjson, u.data/.data.",
    };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public ImportCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("import", "Import event history from CSV, JSON Lines or MovieLens u.data.")
    {
        _environment = environment;
        Details = $"""
            Imports historical events through the same validation and idempotency as POST /api/events, in batches
            of {HistoryImporter.BatchSize}. Importing a file twice stores nothing the second time. Progress and rejected rows go to
            standard error, the summary line to standard output.
            Rows older than the retention period are rejected: old history (MovieLens is from 1997-98) needs
            --retention-days 0. Exit code 0: every row imported; 1: some rows rejected (listed on stderr); 2: usage error.
            {StoreOptions.EnvironmentNote}
            """;
        Add(_file.ExistingFile());
        Add(_format);
        _store.AddTo(this);
        _format.Check(name => HistoryFormats.TryParse(name, out _) ? null : $"--format must be one of {string.Join(", ", HistoryFormats.Names)}, not '{name}'.");
        Validators.Add(result =>
        {
            if (result.GetValue(_format) is null && result.GetValue(_file) is { } path && HistoryFormats.FromFileName(path) is null)
            {
                result.AddError($"cannot tell the format of '{Path.GetFileName(path)}' from its name: give --format ({string.Join(", ", HistoryFormats.Names)}).");
            }
        });
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = parsed.GetRequiredValue(_file);
        var format = parsed.GetValue(_format) is { } name && HistoryFormats.TryParse(name, out var given) ? given : HistoryFormats.FromFileName(path)!.Value;
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
        var retention = services.GetRequiredService<RetentionPolicy>();
        var importer = new HistoryImporter(services.GetRequiredService<IEventStore>(), services.GetRequiredService<TimeProvider>(), retention);
        error.WriteLine($"reco import: {path} as {HistoryFormats.NameOf(format)} into {RecoComposition.DescribeStorage(services)}, retention {Describe(retention)}");

        ImportResult result;
        try
        {
            result = await ImportAsync(importer, path, format, error, cancellationToken).ConfigureAwait(false);
        }
        catch (HistoryFormatException e)
        {
            return UsageError(parsed, $"{path}: {e.Message}");
        }

        Explain(result, path, retention, error);
        output.WriteLine(Summarize(result));
        return result.Rejected == 0 ? 0 : 1;
    }

    /// <summary>The import with progress on <paramref name="error"/>: the share of the file's bytes read, and the counts so far.</summary>
    private static async Task<ImportResult> ImportAsync(HistoryImporter importer, string path, HistoryFormat format, TextWriter error, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var length = Math.Max(1, stream.Length);
        return await ConsoleProgress<ImportProgress>.RunAsync(
            error,
            "import",
            p => new ProgressLine(
                string.Create(CultureInfo.InvariantCulture, $"  {p.RowsRead:N0} rows read, {p.Stored:N0} stored, {p.Duplicates:N0} duplicates, {p.Rejected:N0} rejected ({p.RowsPerSecond:N0} rows/s)"),
                (double)stream.Position / length),
            minimumInterval: TimeSpan.FromSeconds(1),
            progress => importer.ImportAsync(text, format, progress, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The first rejected rows by line and field, how many more, and what to do about history that is too old.</summary>
    private static void Explain(ImportResult result, string path, RetentionPolicy retention, TextWriter error)
    {
        var listed = result.Errors.Take(MaxErrorsListed).ToList();
        foreach (var rejected in listed)
        {
            error.WriteLine($"{path}:{rejected.Line}: {(rejected.Field.Length == 0 ? "" : rejected.Field + " ")}{rejected.Message}");
        }

        var unlisted = result.Rejected - listed.Select(e => e.Line).Distinct().Count();
        if (unlisted > 0)
        {
            error.WriteLine($"… and {unlisted.ToString("N0", CultureInfo.InvariantCulture)} more rejected rows.");
        }

        if (result.OlderThanRetention > 0)
        {
            error.WriteLine(
                $"{result.OlderThanRetention.ToString("N0", CultureInfo.InvariantCulture)} rows are older than the retention period of {retention.Days} days. " +
                "To import old history (MovieLens is from 1997-98), keep events forever: --retention-days 0 (or Reco__RetentionDays=0).");
        }
    }

    internal static string Summarize(ImportResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"imported {r.RowsRead:N0} rows: {r.Stored:N0} stored, {r.Duplicates:N0} duplicates, {r.Rejected:N0} rejected in {r.Elapsed.TotalSeconds:F1} s ({r.RowsPerSecond:N0} rows/s)");

    private static string Describe(RetentionPolicy retention) =>
        retention.KeepsForever ? "forever" : string.Create(CultureInfo.InvariantCulture, $"{retention.Days} days");
}
