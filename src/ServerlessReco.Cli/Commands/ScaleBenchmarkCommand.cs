using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServerlessReco.Lab.Datasets;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Cli.Commands;

/// <summary>`reco scale-benchmark`: training time and peak memory on generated shop data.</summary>
public sealed class ScaleBenchmarkCommand : ICliCommand
{
    public string Name => "scale-benchmark";

    public string Summary => "Train on generated shop data (default 1M users, 100k items, 10M events): time and peak memory.";

    public string Usage => """
        reco scale-benchmark [--users N] [--items N] [--events N] [--neighbors K] [--seed N] [--out DIR]

          --users N      shoppers (default 1000000)
          --items N      catalogue size (default 100000)
          --events N     behaviour events (default 10000000)
          --neighbors K  similar items kept per item by SAR (default 200)
          --out DIR      where scale-benchmark.json goes (default: benchmark-results)

        The events are generated on the fly and read once, as training reads a store. Peak memory is the
        process's peak resident set (what a Flex Consumption instance's 4 GB limit counts).
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var shop = new ShopDataOptions
        {
            Users = arguments.Int("users", 1_000_000),
            Items = arguments.Int("items", 100_000),
            Events = long.Parse(arguments.Option("events", "10000000"), CultureInfo.InvariantCulture),
            Seed = arguments.Int("seed", 1),
        };
        var neighbors = arguments.Int("neighbors", 200);
        var outDir = arguments.Option("out", "benchmark-results");
        if (arguments.Unread() is { Count: > 0 } unknown)
        {
            throw new CliUsageException($"Unknown option(s): {string.Join(", ", unknown)}.");
        }

        var options = new TrainerOptions { Model = ModelKind.Sar, Sar = new SarOptions { MaxNeighbors = neighbors } };
        var progress = new Progress(output);
        var clock = Stopwatch.StartNew();
        var artifact = await Trainer.TrainAsync(ShopDataGenerator.GenerateAsync(shop, cancellationToken), options, progress, cancellationToken);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var peakTrain = Process.GetCurrentProcess().PeakWorkingSet64;

        // Saved to a file and read back, as a serving instance reads the Blob store; the trained copy is
        // released first so that the peak counts one model in memory, as on a serving instance.
        var storedPairs = ((SarModel)artifact.Model).StoredPairs;
        var interactions = artifact.Manifest.Data?.Interactions;
        var file = Path.Combine(Path.GetTempPath(), $"reco-scale-{Environment.ProcessId}.model");
        long artifactBytes;
        await using (var write = File.Create(file))
        {
            artifact.Save(write);
            artifactBytes = write.Length;
        }

        artifact = null!;
        GC.Collect();
        ModelArtifact loaded;
        await using (var read = File.OpenRead(file))
        {
            loaded = ModelArtifact.Load(new BufferedStream(read, 1 << 20));
        }

        File.Delete(file);

        // Serving: 1,000 users' last few events folded in and scored.
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
                ItemId = ShopDataGenerator.ItemId(random.Next(shop.Items)),
                Type = Core.Events.EventType.View,
                Timestamp = now,
            });
            recommender.Recommend(history, 10, now);
        }

        var microsPerRequest = serve.Elapsed.TotalMilliseconds * 1000 / requests;
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

    private sealed class Progress(TextWriter output) : IProgress<string>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Report(string value) =>
            output.WriteLine($"[{_clock.Elapsed.TotalSeconds,7:F1}s, {Environment.WorkingSet / 1e6,6:F0} MB] {value}");
    }
}
