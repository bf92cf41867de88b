using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ServerlessReco.ClickTraining;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Clicks;
using ServerlessReco.Lab.Benchmarks.Clicks;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// `reco click-model-benchmark`: what training the click model costs a retrain, on a seeded synthetic log of logged
/// slots whose true click probabilities are known (<see cref="SyntheticClickLog"/>): seconds for the features, the
/// trees and the calibration and gate, the process's peak working set and the managed bytes allocated, the stored
/// model's size, and how well it ranks the held-out slots against the truth.
/// </summary>
public sealed class ClickModelBenchmarkCommand : RecoCommand
{
    private readonly Option<int> _slots = new("--slots") { HelpName = "N", Description = "logged slots (lists of 10 over 30 days)", DefaultValueFactory = _ => 1_000_000 };
    private readonly Option<int> _users = new("--users") { HelpName = "N", Description = "shoppers", DefaultValueFactory = _ => 20_000 };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "catalogue items", DefaultValueFactory = _ => 5_000 };
    private readonly Option<string> _out = new("--out") { HelpName = "DIR", Description = "where click-model-benchmark.json goes", DefaultValueFactory = _ => "benchmark-results" };

    public ClickModelBenchmarkCommand()
        : base("click-model-benchmark", "Time and memory of training the click model on a seeded log of logged slots.")
    {
        Details = """
            Generates the log in memory (every shopper's clicks and views as their history), then trains as a retrain
            does: the features of every slot as of its list's moment, LightGBM on the older 80 % (100 trees of 7
            leaves, one thread), Platt calibration and the off-policy gate on the newest 20 %. Peak working set is the
            whole process's (the log included); allocated bytes count the training alone.
            """;
        Add(_slots.AtLeast(1000));
        Add(_users.AtLeast(1));
        Add(_items.AtLeast(10));
        Add(_out);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (slots, users, items) = (parsed.GetValue(_slots), parsed.GetValue(_users), parsed.GetValue(_items));
        var stopwatch = Stopwatch.StartNew();
        var log = SyntheticClickLog.Generate(seed: 1, slots, users, items);
        var generated = stopwatch.Elapsed.TotalSeconds;
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        stopwatch.Restart();
        var set = ClickTrainingSet.Build(log.Rows, log.History, log.CategoryOf, cancellationToken);
        var features = stopwatch.Elapsed.TotalSeconds;
        stopwatch.Restart();
        var fit = ClickModelTraining.Train(log.Rows, log.History, log.CategoryOf, new LightGbmClickTrainer(), new ClickModelOptions(), cancellationToken);
        var training = stopwatch.Elapsed.TotalSeconds;
        var model = fit.Model ?? throw new InvalidOperationException(fit.Reason);
        stopwatch.Restart();
        var gate = ClickModelGate.Judge(log.Rows[model.Figures.TrainRows..], fit.HoldOutPredictions!);
        var judging = stopwatch.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var bytes = model.ToBytes().Length;
        var truth = ClickMetrics.Auc(log.TrueProbabilities[model.Figures.TrainRows..], fit.HoldOutLabels!);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        output.WriteLine($"{slots:N0} slots of {users:N0} shoppers on {items:N0} items generated in {generated:F1} s");
        output.WriteLine($"features alone {features:F1} s ({set.Rows:N0} rows); whole training (features, trees, calibration) {training:F1} s; gate {judging:F2} s");
        output.WriteLine($"peak working set {peak / 1e6:F0} MB; allocated by training {allocated / 1e6:F0} MB; stored model {bytes / 1e6:F1} MB");
        output.WriteLine($"hold-out AUC {model.Figures.Auc:F3} (the true probabilities' {truth:F3}), log-loss {model.Figures.LogLoss:F4} (constant rate {model.Figures.BaselineLogLoss:F4}); gate: {(gate?.NotWorse == true ? "not worse" : "worse or undecided")}");
        var json = JsonSerializer.Serialize(
            new
            {
                command = $"reco click-model-benchmark --slots {slots} --users {users} --items {items}",
                cores = Environment.ProcessorCount,
                slots, users, items,
                generateSeconds = generated,
                featureSeconds = features,
                trainingSeconds = training,
                gateSeconds = judging,
                peakWorkingSetBytes = peak,
                trainingAllocatedBytes = allocated,
                modelBytes = bytes,
                auc = model.Figures.Auc,
                trueAuc = truth,
                logLoss = model.Figures.LogLoss,
                baselineLogLoss = model.Figures.BaselineLogLoss,
                gate,
            },
            new JsonSerializerOptions { WriteIndented = true });
        var outDir = parsed.GetRequiredValue(_out);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "click-model-benchmark.json"), json, cancellationToken);
        return 0;
    }
}
