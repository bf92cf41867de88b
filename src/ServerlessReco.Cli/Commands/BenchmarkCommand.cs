using System.Text.Json;
using System.Diagnostics;
using ServerlessReco.Core.Datasets;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Ranking;

namespace ServerlessReco.Cli.Commands;

/// <summary>`reco benchmark`: our models on Microsoft Recommenders' MovieLens-100k protocol, published rows beside.</summary>
public sealed class BenchmarkCommand : ICliCommand
{
    public string Name => "benchmark";

    public string Summary => "Benchmark the models on MovieLens-100k (Microsoft Recommenders' protocol).";

    public string Usage => """
        reco benchmark --data PATH [--out DIR] [--models LIST] [--runs N]

          --data PATH    MovieLens-100k u.data (not shipped: its licence forbids redistribution)
          --out DIR      where benchmark.md and benchmark.json go (default: benchmark-results)
          --models LIST  comma-separated: popularity,sar,ease,ease+lambdarank (default: all)
          --runs N       timed training runs per model after a warm-up; the median is reported (default 3)
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var data = arguments.Option("data") ?? throw new CliUsageException("--data is required.");
        var outDir = arguments.Option("out", "benchmark-results");
        var models = arguments.Option("models", "popularity,sar,ease,ease+lambdarank").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var runs = arguments.Int("runs", 3);
        if (arguments.Unread() is { Count: > 0 } unknown)
        {
            throw new CliUsageException($"Unknown option(s): {string.Join(", ", unknown)}.");
        }

        if (!File.Exists(data))
        {
            throw new CliUsageException($"No file at {data}.");
        }

        var (train, test) = Ml100kBenchmark.Prepare(data);
        var dataPath = data;
        output.WriteLine($"MovieLens-100k: {train.Count:N0} training rows, {test.Count:N0} test users");
        var rows = new List<BenchmarkRow>();
        foreach (var name in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (row, _) = name switch
            {
                "popularity" => await Ml100kBenchmark.RunAsync(name, m => (new PopularityModel(m), null), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "sar" => await Ml100kBenchmark.RunAsync(name, m => Artifact(m, new TrainerOptions { Model = "sar", Data = TrainingOptions.SarBenchmark, Sar = new SarOptions() }), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "ease" => await Ml100kBenchmark.RunAsync(name, m => Artifact(m, new TrainerOptions { Model = "ease", Data = TrainingOptions.SarBenchmark }), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "ease+lambdarank" => (await Reranked(dataPath, train, test, runs, cancellationToken), (ModelArtifact?)null),
                _ => throw new CliUsageException($"Unknown model '{name}'."),
            };
            rows.Add(row);
            output.WriteLine($"{row.Model,-12} MAP {row.Map:F6}  nDCG@10 {row.Ndcg:F6}  P@10 {row.Precision:F6}  R@10 {row.Recall:F6}  coverage {row.Coverage:F4}  train {row.TrainingSeconds:F2}s  {row.MicrosecondsPerUser:F0} µs/user");
        }

        rows.AddRange(Ml100kBenchmark.Published);
        var command = $"reco benchmark --data {data}" + (arguments.Option("models") is { } m ? $" --models {m}" : "") + (runs != 3 ? $" --runs {runs}" : "");
        var markdown = Ml100kBenchmark.ToMarkdown(rows, command, runs);
        output.WriteLine();
        output.Write(markdown);

        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "benchmark.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "benchmark.json"),
            JsonSerializer.Serialize(new { command, cores = Environment.ProcessorCount, rows }, JsonOptions),
            cancellationToken);
        output.WriteLine($"Wrote {Path.Combine(outDir, "benchmark.md")} and benchmark.json");
        return 0;
    }

    /// <summary>EASE candidates re-ranked by LightGBM LambdaRank (Microsoft.ML); training time includes the inner split, both base models twice and the ranker.</summary>
    private static async Task<BenchmarkRow> Reranked(string dataPath, List<RatingRow> train, IReadOnlyDictionary<string, IReadOnlySet<string>> test, int runs, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataPath))!;
        var itemPath = Path.Combine(folder, "u.item");
        var genrePath = Path.Combine(folder, "u.genre");
        var catalog = File.Exists(itemPath) && File.Exists(genrePath)
            ? MovieLens.ReadCatalog(itemPath, genrePath).ToDictionary(c => c.ItemId, StringComparer.Ordinal)
            : null;
        var times = new List<double>();
        RerankedModel? model = null;
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            model = await RerankedModel.TrainAsync(train, TrainingOptions.SarBenchmark, catalog, cancellationToken: cancellationToken);
            if (run > 0)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        model!.Evaluate(test);
        var result = model.Evaluate(test);
        using var stream = new MemoryStream();
        model.ToArtifact().Save(stream);
        stream.Position = 0;
        var load = Stopwatch.StartNew();
        _ = new RerankingRecommender(ModelArtifact.Load(stream));
        var loadMs = load.Elapsed.TotalMilliseconds;
        times.Sort();
        return BenchmarkRow.Measured("ease+lambdarank", result, times[times.Count / 2], stream.Length / 1e6, loadMs);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static (IItemScorer, ModelArtifact?) Artifact(InteractionMatrix matrix, TrainerOptions options)
    {
        var artifact = Trainer.Train(matrix, options);
        return (artifact.Model, artifact);
    }
}
