using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Cli.Commands;

/// <summary>`reco scale-benchmark`: training time and peak memory on generated shop data.</summary>
public sealed class ScaleBenchmarkCommand : RecoCommand
{
    private readonly Option<int> _users = new("--users") { HelpName = "N", Description = "shoppers", DefaultValueFactory = _ => 1_000_000 };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "catalogue size", DefaultValueFactory = _ => 100_000 };
    private readonly Option<long> _events = new("--events") { HelpName = "N", Description = "behaviour events", DefaultValueFactory = _ => 10_000_000 };
    private readonly Option<int> _neighbors = new("--neighbors") { HelpName = "K", Description = "similar items kept per item by SAR", DefaultValueFactory = _ => 200 };
    private readonly Option<int> _seed = new("--seed") { HelpName = "N", Description = "the generated shop", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _out = new("--out") { HelpName = "DIR", Description = "where scale-benchmark.json goes", DefaultValueFactory = _ => "benchmark-results" };

    public ScaleBenchmarkCommand()
        : base("scale-benchmark", "Train on generated shop data (default 1M users, 100k items, 10M events): time and peak memory.")
    {
        Details = """
            The events are generated on the fly and read once, as training reads a store. Peak memory is the
            process's peak resident set (what a Flex Consumption instance's 4 GB limit counts). Progress goes to
            standard error, the figures (JSON) to standard output and scale-benchmark.json.
            """;
        Add(_users.AtLeast(1));
        Add(_items.AtLeast(1));
        Add(_events.AtLeast(0));
        Add(_neighbors.AtLeast(1));
        Add(_seed);
        Add(_out);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var shop = new ShopDataOptions
        {
            Users = parsed.GetValue(_users),
            Items = parsed.GetValue(_items),
            Events = parsed.GetValue(_events),
            Seed = parsed.GetValue(_seed),
        };
        var neighbors = parsed.GetValue(_neighbors);
        var outDir = parsed.GetRequiredValue(_out);
        var options = new TrainerOptions { Model = ModelKind.Sar, Sar = new SarOptions { MaxNeighbors = neighbors } };
        var clock = Stopwatch.StartNew();
        var artifact = await ConsoleProgress<string>.RunAsync(
            error,
            "train",
            message => new ProgressLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:F1}s, {Environment.WorkingSet / 1e6,6:F0} MB] {message}")),
            minimumInterval: TimeSpan.Zero,
            progress => Trainer.TrainAsync(ShopDataGenerator.GenerateAsync(shop, cancellationToken), options, progress, cancellationToken)).ConfigureAwait(false);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var peakTrain = Process.GetCurrentProcess().PeakWorkingSet64;

        var storedPairs = ((SarModel)artifact.Model).StoredPairs;
        var interactions = artifact.Manifest.Data?.Interactions;
        // Saved to a file and read back, as a serving instance reads the Blob store; the trained copy is released
        // first so that the peak counts one model in memory, as on a serving instance.
        var (file, artifactBytes) = await SaveAsync(artifact).ConfigureAwait(false);
        artifact = null!;
        GC.Collect();
        var loaded = await LoadAsync(file).ConfigureAwait(false);
        var microsPerRequest = MicrosecondsPerRecommendation(loaded, shop.Items);
        var result = new
        {
            command = $"reco scale-benchmark --users {shop.Users} --items {shop.Items} --events {shop.Events} --neighbors {neighbors}",
            cores = Environment.ProcessorCount,
            shop.Users,
            shop.Items,
            shop.Events,
            interactions,
            storedSimilarPairs = storedPairs,
            trainSeconds,
            peakMegabytesDuringTraining = peakTrain / 1e6,
            peakMegabytesOverall = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,
            artifactMegabytes = artifactBytes / 1e6,
            loadMilliseconds = loaded.LoadTime?.TotalMilliseconds,
            microsecondsPerRecommendation = microsPerRequest,
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(json);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "scale-benchmark.json"), json, cancellationToken);
        return 0;
    }

    private static async Task<(string File, long Bytes)> SaveAsync(ModelArtifact artifact)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reco-scale-{Environment.ProcessId}.model");
        await using var write = File.Create(file);
        artifact.Save(write);
        return (file, write.Length);
    }

    private static async Task<ModelArtifact> LoadAsync(string file)
    {
        ModelArtifact loaded;
        await using (var read = File.OpenRead(file))
        {
            loaded = ModelArtifact.Load(new BufferedStream(read, 1 << 20));
        }

        File.Delete(file);
        return loaded;
    }

    /// <summary>Serving: 1,000 users' last few events folded in and scored.</summary>
    private static double MicrosecondsPerRecommendation(ModelArtifact loaded, int items)
    {
        var recommender = new Recommender(loaded);
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var serve = Stopwatch.StartNew();
        const int requests = 1000;
        for (var r = 0; r < requests; r++)
        {
            var history = Enumerable.Range(0, 5).Select(e => new Core.Events.BehaviorEvent
            {
                EventId = $"q{r}-{e}",
                UserId = "probe",
                ItemId = ShopDataGenerator.ItemId(random.Next(items)),
                Type = Core.Events.EventType.View,
                Timestamp = now,
            });
            recommender.Recommend(history, 10, now);
        }

        return serve.Elapsed.TotalMilliseconds * 1000 / requests;
    }
}
