using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Benchmarks.NextItem;
using ServerlessReco.Lab.Datasets;
using ServerlessReco.Ranking;
namespace ServerlessReco.Cli.Commands;

/// <summary>`reco benchmark`: our models on Microsoft Recommenders' MovieLens-100k protocol, published rows beside.</summary>
public sealed class BenchmarkCommand : RecoCommand
{
    private static readonly string[] Models = ["popularity", "sar", "ease", "ease+lambdarank", "ease+diversity", "next-item", "cold-items", "served"];

    /// <summary>Sections on other data than MovieLens: not in the default list, each with its own option.</summary>
    private static readonly string[] OtherData = ["sessions", "category-shop"];

    private readonly Option<string> _data = new("--data")
    {
        HelpName = "PATH",
        Description = "MovieLens-100k u.data (not shipped: its licence forbids redistribution); needed by every model but sessions",
    };

    private readonly Option<string> _sessions = new("--sessions")
    {
        HelpName = "DIR",
        Description = "the YooChoose 100k folder (shared/data/yoochoose-100k: session files and the session-rec framework's saved lists), for --models sessions",
    };

    private readonly Option<int> _seeds = CategoryShopSection.SeedsOption();

    private readonly Option<string> _scale = CategoryShopSection.ScaleOption();

    private readonly Option<string> _out = new("--out") { HelpName = "DIR", Description = "where benchmark.md and benchmark.json go", DefaultValueFactory = _ => "benchmark-results" };

    private readonly Option<string> _models = new("--models")
    {
        HelpName = "LIST",
        Description = "comma-separated: popularity,sar,ease,ease+lambdarank,ease+diversity,next-item,cold-items,served; ease+diversity re-ranks EASE's top 100 "
            + "under a sweep of the diversity settings (needs u.item, u.genre); next-item is the leave-last-out benchmark of the sequence model; "
            + "cold-items ranks held-out movies by the content model (needs u.item, u.genre); served takes EASE's lists through the serving path "
            + "with and without content vectors (needs u.item, u.genre); sessions is next-click prediction on real shop sessions through the serving path "
            + "(needs --sessions, not in the default list); category-shop is issue 21's check on a generated Taobao-like log through the HTTP API "
            + "of a local host against popularity, category popularity and co-occurrence (--seeds, --scale; not in the default list)",
        DefaultValueFactory = _ => string.Join(',', Models),
    };

    private readonly Option<int> _runs = new("--runs") { HelpName = "N", Description = "timed training runs per model after a warm-up; the median is reported", DefaultValueFactory = _ => 3 };

    public BenchmarkCommand()
        : base("benchmark", "Benchmark the models on MovieLens-100k (Microsoft Recommenders' protocol).")
    {
        Add(_data.ExistingFile());
        Add(_sessions.ExistingDirectory());
        Add(_out);
        Add(_models);
        Add(_runs.AtLeast(1));
        Add(_seeds.AtLeast(1));
        Add(_scale.AcceptOnlyFromAmong("issue", "small"));
        _models.Check(list => Split(list).FirstOrDefault(n => !Models.Contains(n) && !OtherData.Contains(n)) is { } unknown
            ? $"Unknown model '{unknown}' (the models: {string.Join(",", Models.Concat(OtherData))})."
            : null);
        Validators.Add(result =>
        {
            var models = Split(result.GetValue(_models));
            if (models.Any(Models.Contains) && result.GetValue(_data) is null)
            {
                result.AddError($"Option '--data' is required for {string.Join(",", models.Where(Models.Contains))}.");
            }

            if (models.Contains("sessions") && result.GetValue(_sessions) is null)
            {
                result.AddError("Option '--sessions' is required for --models sessions.");
            }

            foreach (var alone in OtherData.Where(o => models.Contains(o) && models.Length > 1))
            {
                result.AddError($"--models {alone} runs on its own (its data is not MovieLens): give it alone.");
            }
        });
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var outDir = parsed.GetRequiredValue(_out);
        var models = Split(parsed.GetRequiredValue(_models));
        var runs = parsed.GetValue(_runs);
        if (models.Contains("category-shop"))
        {
            var (scale, seeds) = (parsed.GetRequiredValue(_scale), parsed.GetValue(_seeds));
            return await CategoryShopSection.ReportAsync(scale, seeds, $"reco benchmark --models category-shop --scale {scale} --seeds {seeds}", outDir, output, cancellationToken);
        }

        return models.Any(Models.Contains)
            ? await MovieLensAsync(parsed, models, outDir, runs, output, cancellationToken)
            : await SessionsSection.ReportAsync(parsed.GetRequiredValue(_sessions), $"reco benchmark --models sessions --sessions {parsed.GetValue(_sessions)}", outDir, output, cancellationToken);
    }

    /// <summary>The MovieLens-100k sections asked for, each printed, then one report of them all.</summary>
    private async Task<int> MovieLensAsync(ParseResult parsed, string[] models, string outDir, int runs, TextWriter output, CancellationToken cancellationToken)
    {
        var data = parsed.GetRequiredValue(_data);
        var (train, test) = Ml100kBenchmark.Prepare(data);
        var dataPath = data;
        output.WriteLine($"MovieLens-100k: {train.Count:N0} training rows, {test.Count:N0} test users");
        var rows = new List<BenchmarkRow>();
        List<DiversityRow>? diversityRows = null;
        ColdItemReport? coldItems = null;
        NextItemReport? nextItem = null;
        List<ServedProtocolRow>? served = null;
        foreach (var name in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name == "next-item")
            {
                nextItem = await NextItemSection.RunAsync(dataPath, output, cancellationToken);
                continue;
            }

            if (name == "ease+diversity")
            {
                diversityRows = await Diversified(dataPath, train, test, output, cancellationToken);
                continue;
            }

            if (name == "cold-items")
            {
                coldItems = await ColdItems(dataPath, outDir, output, cancellationToken);
                continue;
            }

            if (name == "served")
            {
                served = ReadCatalog(dataPath) is { } catalog ? await ServedProtocolSection.RunAsync(train, test, catalog, outDir, output, cancellationToken) : null;
                continue;
            }

            var (row, _) = name switch
            {
                "popularity" => await Ml100kBenchmark.RunAsync(name, m => (new PopularityModel(m), null), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "sar" => await Ml100kBenchmark.RunAsync(name, m => Artifact(m, new TrainerOptions { Model = ModelKind.Sar, Data = TrainingOptions.SarBenchmark, Sar = new SarOptions() }), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "ease" => await Ml100kBenchmark.RunAsync(name, m => Artifact(m, new TrainerOptions { Model = ModelKind.Ease, Data = TrainingOptions.SarBenchmark }), TrainingOptions.SarBenchmark, train, test, runs, cancellationToken),
                "ease+lambdarank" => (await Reranked(dataPath, train, test, runs, cancellationToken), (ModelArtifact?)null),
                _ => throw new ArgumentOutOfRangeException(nameof(parsed), name, "Not a model (the option's validator lists them)."),
            };
            rows.Add(row);
            output.WriteLine($"{row.Model,-12} MAP {row.Map:F6}  nDCG@10 {row.Ndcg:F6}  P@10 {row.Precision:F6}  R@10 {row.Recall:F6}  coverage {row.Coverage:F4}  train {row.TrainingSeconds:F2}s  {row.MicrosecondsPerUser:F0} µs/user");
        }

        rows.AddRange(Ml100kBenchmark.Published);
        var command = $"reco benchmark --data {data}" + (parsed.GetResult(_models) is { Implicit: false } ? $" --models {parsed.GetValue(_models)}" : "") + (runs != 3 ? $" --runs {runs}" : "");
        await WriteReportAsync(rows, diversityRows, nextItem, coldItems, served, command, runs, outDir, output, cancellationToken);
        return 0;
    }

    /// <summary>The Markdown and JSON of every section that ran, printed and written to <paramref name="outDir"/>.</summary>
    private static async Task WriteReportAsync(
        List<BenchmarkRow> rows, List<DiversityRow>? diversityRows, NextItemReport? nextItem, ColdItemReport? coldItems, List<ServedProtocolRow>? served, string command, int runs, string outDir,
        TextWriter output, CancellationToken cancellationToken)
    {
        var markdown = Ml100kBenchmark.ToMarkdown(rows, command, runs);
        if (diversityRows is not null)
        {
            markdown += Environment.NewLine + "Diversity re-ranking of EASE's candidates (genres as categories):" + Environment.NewLine + Environment.NewLine
                + DiversityBenchmark.ToMarkdown(diversityRows, command);
        }

        if (nextItem is not null)
        {
            markdown += Environment.NewLine + "Next item on MovieLens-100k (leave-last-out):" + Environment.NewLine + Environment.NewLine + nextItem.ToMarkdown(command);
        }

        if (coldItems is not null)
        {
            markdown += Environment.NewLine + "Cold items: held-out movies ranked by the content model (see docs/content-model.md):" + Environment.NewLine + Environment.NewLine
                + coldItems.ToMarkdown();
        }

        if (served is not null)
        {
            markdown += Environment.NewLine + "EASE's lists through the serving path, with and without content vectors (the same protocol; see docs/content-model.md):" + Environment.NewLine
                + Environment.NewLine + ServedProtocolSection.ToMarkdown(served);
        }

        output.WriteLine();
        output.Write(markdown);

        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "benchmark.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "benchmark.json"),
            JsonSerializer.Serialize(new { command, cores = Environment.ProcessorCount, rows, diversity = diversityRows?.Select(DiversityJson), nextItem = nextItem is null ? null : new { rows = nextItem.Rows, measuredElsewhere = NextItemReport.MeasuredElsewhere, shuffle = nextItem.Shuffle }, coldItems = coldItems is null ? null : ColdItemJson(coldItems), served }, JsonOptions),
            cancellationToken);
        output.WriteLine($"Wrote {Path.Combine(outDir, "benchmark.md")} and benchmark.json");
    }

    /// <summary>EASE candidates re-ranked by LightGBM LambdaRank (Microsoft.ML); training time includes the inner split, both base models twice and the ranker.</summary>
    private static async Task<BenchmarkRow> Reranked(string dataPath, List<RatingRow> train, IReadOnlyDictionary<string, IReadOnlySet<string>> test, int runs, CancellationToken cancellationToken)
    {
        var catalog = ReadCatalog(dataPath)?.ToDictionary(c => c.ItemId, StringComparer.Ordinal);
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

    /// <summary>EASE's top 100 per test user re-ranked to 10 under each setting of <see cref="DiversityBenchmark.Sweep"/>; null without genres.</summary>
    private static async Task<List<DiversityRow>?> Diversified(string dataPath, List<RatingRow> train, IReadOnlyDictionary<string, IReadOnlySet<string>> test, TextWriter output, CancellationToken cancellationToken)
    {
        if (ReadCatalog(dataPath) is not { } catalog)
        {
            output.WriteLine("ease+diversity skipped: no u.item and u.genre beside the ratings file.");
            return null;
        }

        var matrix = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(train, cancellationToken), TrainingOptions.SarBenchmark, cancellationToken: cancellationToken);
        var (model, _) = Artifact(matrix, new TrainerOptions { Model = ModelKind.Ease, Data = TrainingOptions.SarBenchmark });
        var rows = DiversityBenchmark.Run(model, matrix, test, DiversityBenchmark.Genres(matrix, catalog), DiversityBenchmark.Sweep);
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Setting,-40} nDCG@10 {row.Result.Accuracy.Ndcg:F6}  coverage {row.Result.Coverage:F4}  ILD {row.IntraListDiversity:F4}  novelty {row.Result.Novelty:F2}");
        }

        return rows;
    }

    /// <summary>The cold-item benchmark (<see cref="ColdItemReport"/>); null without u.item and u.genre.</summary>
    private static async Task<ColdItemReport?> ColdItems(string dataPath, string outDir, TextWriter output, CancellationToken cancellationToken)
    {
        if (ReadCatalog(dataPath) is not { } catalog)
        {
            output.WriteLine("cold-items skipped: no u.item and u.genre beside the ratings file.");
            return null;
        }

        var report = await ColdItemReport.RunAsync(MovieLens.ReadRatings(dataPath), catalog, outDir, output, cancellationToken);
        foreach (var seed in report.Seeds)
        {
            output.WriteLine($"cold items, seed {seed.Seed}: content nDCG@10 {seed.Content.Ndcg:F4}, genre {seed.Genre.Ndcg:F4}, random {seed.Random.Ndcg:F4}, paired difference {seed.Paired.Mean:F4} ± {seed.Paired.StandardError:F4}");
        }

        return report;
    }

    private static object ColdItemJson(ColdItemReport report) => new
    {
        seeds = report.Seeds.Select(s => new
        {
            s.Seed, s.HeldOutItems, s.Users,
            content = new { s.Content.Ndcg, s.Content.Recall }, genre = new { s.Genre.Ndcg, s.Genre.Recall }, random = new { s.Random.Ndcg, s.Random.Recall },
            pairedDifference = s.Paired.Mean, pairedStandardError = s.Paired.StandardError,
        }),
        report.Storage, report.History, report.MillisecondsPerText, report.TimedTexts, report.LoadSeconds,
    };

    /// <summary>The movies with their genres from u.item and u.genre beside the ratings file; null when either is missing.</summary>
    private static IReadOnlyList<CatalogItem>? ReadCatalog(string dataPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataPath))!;
        var itemPath = Path.Combine(folder, "u.item");
        var genrePath = Path.Combine(folder, "u.genre");
        return File.Exists(itemPath) && File.Exists(genrePath) ? MovieLens.ReadCatalog(itemPath, genrePath) : null;
    }

    private static object DiversityJson(DiversityRow row) => new
    {
        row.Setting, row.Result.Accuracy.Map, row.Result.Accuracy.Ndcg, row.Result.Accuracy.Precision, row.Result.Accuracy.Recall, row.Result.Coverage,
        row.IntraListDiversity, row.Result.Novelty, row.Result.PopularityLift, row.TopCategoryShare, row.RerankMicrosecondsPerUser,
    };

    private static string[] Split(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static (IItemScorer, ModelArtifact?) Artifact(InteractionMatrix matrix, TrainerOptions options)
    {
        var artifact = Trainer.Train(matrix, options);
        return (artifact.Model, artifact);
    }
}
