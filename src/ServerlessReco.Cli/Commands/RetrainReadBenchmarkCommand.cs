using System.CommandLine;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;
using ServerlessReco.Lab.Benchmarks;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// `reco retrain-read-benchmark`: a retrain's read step with 1% new events (the change feed into training segments)
/// against a full read of the window, on the embedded store or a Cosmos DB account (the test server), in one run.
/// </summary>
public sealed class RetrainReadBenchmarkCommand : RecoCommand
{
    private readonly Option<int> _events = new("--events") { HelpName = "N", Description = "generated events stored first", DefaultValueFactory = _ => 100_000 };
    private readonly Option<int> _users = new("--users") { HelpName = "N", Description = "generated shoppers", DefaultValueFactory = _ => 5_000 };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "generated catalogue size", DefaultValueFactory = _ => 2_000 };
    private readonly Option<double> _newPercent = new("--new-percent") { HelpName = "P", Description = "new events before the measured run, in % of the stored ones", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _cosmos = new("--cosmos-endpoint") { HelpName = "URL", Description = "run on this Cosmos DB endpoint (gateway mode) instead of the embedded store" };
    private readonly Option<string?> _cosmosKey = new("--cosmos-key") { HelpName = "KEY", Description = "its account key (the test server accepts any base64)" };
    private readonly Option<string> _out = new("--out") { HelpName = "DIR", Description = "where retrain-read-benchmark.json goes", DefaultValueFactory = _ => "benchmark-results" };

    public RetrainReadBenchmarkCommand()
        : base("retrain-read-benchmark", "A retrain's read step with 1% new events (change feed + segments) against a full read, in one run.")
    {
        Details = """
            Stores a generated shop in a fresh store (a temporary SQLite file, or a new database on the Cosmos endpoint,
            deleted afterwards), builds the training segments (in a temporary folder), appends --new-percent new events,
            then measures, in the same run: the full read (every event from the store into the training matrix, warmed
            up once) and the run with segments (the change feed since the last run, the segment write, then every
            segment read into the matrix). Prints events read from the store, seconds and ratios as JSON.
            On the Cosmos test server set AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true (tests/emulators/README.md);
            its request charge is 1 per request whatever the request does, so RU figures against it mean nothing.
            """;
        Add(_events.AtLeast(1));
        Add(_users.AtLeast(1));
        Add(_items.AtLeast(1));
        Add(_newPercent.Check(p => p is > 0 and <= 100 ? null : $"--new-percent must be in (0, 100], not {p}."));
        Add(_cosmos.Check(url => url is null || Uri.TryCreate(url, UriKind.Absolute, out _) ? null : $"--cosmos-endpoint must be an absolute URL, not {url}."));
        Add(_cosmosKey);
        Add(_out);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reco-retrain-read-").FullName;
        var cosmos = parsed.GetValue(_cosmos) is { } url ? new Uri(url) : null;
        CosmosClient? client = null;
        var database = $"retrain-read-{Guid.NewGuid():N}";
        try
        {
            RetrainReadBenchmark benchmark;
            if (cosmos is null)
            {
                var events = new SqliteEventStore(new SqliteDatabase(Path.Combine(folder, "reco.db")), RetentionPolicy.Forever);
                benchmark = new RetrainReadBenchmark(events, events, new FolderModelBlobStore(Path.Combine(folder, "models")));
            }
            else
            {
                var options = new CosmosStoreOptions { Endpoint = cosmos, Key = parsed.GetValue(_cosmosKey), Database = database, ConnectionMode = ConnectionMode.Gateway, LimitToEndpoint = true };
                client = AzureClientFactory.CreateCosmosClient(options);
                var containers = await CosmosSchema.EnsureAsync(client, options, RetentionPolicy.Forever, cancellationToken).ConfigureAwait(false);
                var events = new CosmosEventStore(containers.Events, RetentionPolicy.Forever);
                benchmark = new RetrainReadBenchmark(events, events, new FolderModelBlobStore(Path.Combine(folder, "models")), () => events.RequestCharge);
            }

            var progress = new Progress<string>(message => error.WriteLine($"retrain-read-benchmark: {message}"));
            var result = await benchmark.RunAsync(
                parsed.GetValue(_users), parsed.GetValue(_items), parsed.GetValue(_events), parsed.GetValue(_newPercent) / 100, progress, cancellationToken).ConfigureAwait(false);
            await WriteAsync(parsed, result, cosmos is null ? "embedded (SQLite)" : $"Cosmos DB at {cosmos}", output, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            if (client is not null)
            {
                await client.GetDatabase(database).DeleteAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                client.Dispose();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task WriteAsync(ParseResult parsed, RetrainReadResult result, string store, TextWriter output, CancellationToken cancellationToken)
    {
        var report = new
        {
            command = $"reco retrain-read-benchmark --events {parsed.GetValue(_events)} --users {parsed.GetValue(_users)} --items {parsed.GetValue(_items)} --new-percent {parsed.GetValue(_newPercent)}"
                + (parsed.GetValue(_cosmos) is { } endpoint ? $" --cosmos-endpoint {endpoint}" : ""),
            store,
            cores = Environment.ProcessorCount,
            result.StoredEvents,
            result.NewEvents,
            result.FullRead,
            result.FirstSegmentRun,
            result.IncrementalRun,
            result.StoreEventsRatio,
            result.StoreSecondsRatio,
            result.TotalSecondsRatio,
            result.SegmentRows,
            result.SegmentBytes,
            result.SegmentBytesPerEvent,
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(json);
        var outDir = parsed.GetRequiredValue(_out);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "retrain-read-benchmark.json"), json, cancellationToken).ConfigureAwait(false);
    }
}
