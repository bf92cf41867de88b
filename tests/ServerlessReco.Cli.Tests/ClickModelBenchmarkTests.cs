using System.Text.Json;

namespace ServerlessReco.Cli.Tests;

/// <summary>`reco click-model-benchmark` on a small seeded log: it trains, times each step, and the model ranks held-out slots nearly as well as the truth.</summary>
public sealed class ClickModelBenchmarkTests : IDisposable
{
    private readonly TemporaryDataDirectory _out = new();

    [Fact]
    public async Task ItTrainsOnTheSeededLogAndWritesItsFigures()
    {
        var run = await Run.RecoAsync("click-model-benchmark", "--slots", "40000", "--users", "1000", "--items", "400", "--out", _out.Path);

        Assert.True(run.ExitCode == 0, run.Errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out.Path, "click-model-benchmark.json")));
        var root = json.RootElement;
        Assert.Equal(40_000, root.GetProperty("slots").GetInt32());
        Assert.True(root.GetProperty("trainingSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("peakWorkingSetBytes").GetInt64() > root.GetProperty("modelBytes").GetInt64());
        var (auc, truth) = (root.GetProperty("auc").GetDouble(), root.GetProperty("trueAuc").GetDouble());
        Assert.InRange(auc, truth - 0.05, truth);
        Assert.True(root.GetProperty("logLoss").GetDouble() < root.GetProperty("baselineLogLoss").GetDouble());
        Assert.Contains("hold-out AUC", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _out.Dispose();
}
