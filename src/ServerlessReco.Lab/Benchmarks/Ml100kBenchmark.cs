using System.Diagnostics;
using System.Globalization;
using System.Text;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;
namespace ServerlessReco.Lab.Benchmarks;

/// <summary>One row of the benchmark table: ours (measured) or published (quoted).</summary>
public sealed record BenchmarkRow
{
    public required string Model { get; init; }
    public required string Source { get; init; }
    public double Map { get; init; }
    public double? Ndcg { get; init; }
    public double? Precision { get; init; }
    public double? Recall { get; init; }
    public double? Coverage { get; init; }
    public double? Novelty { get; init; }
    public double? PopularityLift { get; init; }
    public double? TrainingSeconds { get; init; }
    public double? MicrosecondsPerUser { get; init; }
    public double? ArtifactMegabytes { get; init; }
    public double? LoadMilliseconds { get; init; }
    public string? Note { get; init; }

    /// <summary>A row of ours from an evaluation, the median training time and the saved artifact's size and load time.</summary>
    public static BenchmarkRow Measured(string model, EvaluationResult result, double trainingSeconds, double? artifactMegabytes, double? loadMilliseconds) => new()
    {
        Model = model,
        Source = "ours",
        Map = result.Accuracy.Map,
        Ndcg = result.Accuracy.Ndcg,
        Precision = result.Accuracy.Precision,
        Recall = result.Accuracy.Recall,
        Coverage = result.Coverage,
        Novelty = result.Novelty,
        PopularityLift = result.PopularityLift,
        TrainingSeconds = trainingSeconds,
        MicrosecondsPerUser = result.MicrosecondsPerUser,
        ArtifactMegabytes = artifactMegabytes,
        LoadMilliseconds = loadMilliseconds,
    };
}

/// <summary>
/// The MovieLens-100k benchmark of Microsoft Recommenders, run on our models: per-item stratified 75/25 split
/// with seed 42, top-10 with training items removed. Each model is trained from behaviour events (the path
/// production uses), timed as the median of several runs after a warm-up, scored, saved and reloaded.
/// </summary>
public static class Ml100kBenchmark
{
    /// <summary>Microsoft Recommenders' published ML-100k results (benchmark notebook, 2025 run).</summary>
    public static IReadOnlyList<BenchmarkRow> Published { get; } =
    [
        new() { Model = "BiVAE", Source = "published", Map = 0.1436, Ndcg = 0.4687, Precision = 0.4082, Recall = 0.2209, TrainingSeconds = 23, Note = "GPU" },
        new() { Model = "BPR", Source = "published", Map = 0.1340, Ndcg = 0.4450, Precision = 0.3887, Recall = 0.2166, TrainingSeconds = 5 },
        new() { Model = "LightGCN", Source = "published", Ndcg = 0.4164 },
        new() { Model = "SAR", Source = "published", Map = 0.114038, Ndcg = 0.393819, Precision = 0.340615, Recall = 0.185377, TrainingSeconds = 0.23 },
    ];

    /// <summary>The split as train events and held-out items per user.</summary>
    public static (List<RatingRow> Train, Dictionary<string, IReadOnlySet<string>> Test) Prepare(string path)
    {
        var (train, test) = StratifiedSplit.ByItem(MovieLens.ReadRatings(path));
        var truth = OfflineEvaluation.GroupByUser(test.Select(r =>
            (r.User.ToString(CultureInfo.InvariantCulture), r.Item.ToString(CultureInfo.InvariantCulture))));
        return (train, truth);
    }

    /// <summary>Trains with <paramref name="train"/> (from the events) and evaluates one model.</summary>
    public static async Task<(BenchmarkRow Row, ModelArtifact? Artifact)> RunAsync(
        string name,
        Func<InteractionMatrix, (IItemScorer Model, ModelArtifact? Artifact)> train,
        TrainingOptions data,
        IReadOnlyList<RatingRow> trainRows,
        IReadOnlyDictionary<string, IReadOnlySet<string>> test,
        int runs = 3,
        CancellationToken cancellationToken = default)
    {
        var times = new List<double>();
        IItemScorer? model = null;
        ModelArtifact? artifact = null;
        InteractionMatrix? matrix = null;
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            matrix = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(trainRows, cancellationToken), data, cancellationToken: cancellationToken);
            (model, artifact) = train(matrix);
            if (run > 0)
            {
                times.Add(clock.Elapsed.TotalSeconds); // run 0 warms the JIT up
            }
        }

        var result = OfflineEvaluation.Evaluate(model!, matrix!, test);
        result = OfflineEvaluation.Evaluate(model!, matrix!, test); // the second pass times warm code
        double? megabytes = null, loadMs = null;
        if (artifact is not null)
        {
            artifact.AddMetrics(Metrics(result));
            using var stream = new MemoryStream();
            artifact.Save(stream);
            megabytes = stream.Length / 1e6;
            stream.Position = 0;
            loadMs = ModelArtifact.Load(stream).LoadTime?.TotalMilliseconds;
        }

        times.Sort();
        return (BenchmarkRow.Measured(name, result, times[times.Count / 2], megabytes, loadMs), artifact);
    }

    public static Dictionary<string, double> Metrics(EvaluationResult result) => new()
    {
        ["map"] = result.Accuracy.Map,
        ["ndcg@10"] = result.Accuracy.Ndcg,
        ["precision@10"] = result.Accuracy.Precision,
        ["recall@10"] = result.Accuracy.Recall,
        ["coverage"] = result.Coverage,
    };

    public static string ToMarkdown(IEnumerable<BenchmarkRow> rows, string command, int runs = 3)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        var text = new StringBuilder();
        text.AppendLine("| model | source | MAP | nDCG@10 | P@10 | R@10 | coverage | novelty | pop. lift | train s | µs/user | model MB | load ms |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Model}{(r.Note is null ? "" : $" ({r.Note})")} | {r.Source} | {(r.Map == 0 ? "–" : F(r.Map, "F6"))} | {F(r.Ndcg, "F6")} | {F(r.Precision, "F6")} | {F(r.Recall, "F6")} | {F(r.Coverage, "F4")} | {F(r.Novelty, "F2")} | {F(r.PopularityLift, "F2")} | {F(r.TrainingSeconds, "F2")} | {F(r.MicrosecondsPerUser, "F0")} | {F(r.ArtifactMegabytes, "F2")} | {F(r.LoadMilliseconds, "F0")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Produced by `{command}` on {Environment.ProcessorCount} cores, .NET {Environment.Version}. ");
        text.AppendLine(CultureInfo.InvariantCulture, $"Training seconds: events → trained model, median of {runs} run(s) after a warm-up. µs/user: top-10 for every test user, in parallel, wall time / users. Load ms: the saved model read back from a stream.");
        return text.ToString();
    }
}
