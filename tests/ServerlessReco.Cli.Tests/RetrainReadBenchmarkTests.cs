using System.Text.Json;

namespace ServerlessReco.Cli.Tests;

/// <summary>`reco retrain-read-benchmark` on the embedded store: the run with segments reads only the new events from the store.</summary>
public sealed class RetrainReadBenchmarkTests : IDisposable
{
    private readonly TemporaryDataDirectory _out = new();

    [Fact]
    public async Task TheRunWithSegmentsReadsOnlyTheNewEventsFromTheStore()
    {
        var run = await Run.RecoAsync("retrain-read-benchmark", "--events", "3000", "--users", "200", "--items", "100", "--new-percent", "1", "--out", _out.Path);

        Assert.True(run.ExitCode == 0, run.Errors);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        var stored = root.GetProperty("StoredEvents").GetInt64();
        var added = root.GetProperty("NewEvents").GetInt64();
        Assert.Equal(30, added);
        Assert.Equal(stored, root.GetProperty("FullRead").GetProperty("StoreEvents").GetInt64());
        Assert.Equal(stored - added, root.GetProperty("FirstSegmentRun").GetProperty("StoreEvents").GetInt64());
        Assert.Equal(added, root.GetProperty("IncrementalRun").GetProperty("StoreEvents").GetInt64());
        Assert.Equal(stored, root.GetProperty("IncrementalRun").GetProperty("TrainingRows").GetInt64()); // the same rows train
        Assert.InRange(root.GetProperty("SegmentBytesPerEvent").GetDouble(), 1, 200);
        Assert.True(File.Exists(Path.Combine(_out.Path, "retrain-read-benchmark.json")));
    }

    public void Dispose() => _out.Dispose();
}
