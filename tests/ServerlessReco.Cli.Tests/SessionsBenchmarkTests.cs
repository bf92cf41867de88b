using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Cli.Tests;

/// <summary>`reco benchmark --models sessions` on the YooChoose 100k sessions (skipped when shared/data/yoochoose-100k is absent).</summary>
public sealed class SessionsBenchmarkTests
{
    [Fact]
    public async Task TheSessionsBenchmarkPrintsThePublishedRowsBesideOurs()
    {
        var folder = YooChoose.Find(AppContext.BaseDirectory);
        Assert.SkipWhen(folder is null, "shared/data/yoochoose-100k is not beside the repository");

        using var directory = new TemporaryDataDirectory();
        var run = await Run.RecoAsync("benchmark", "--models", "sessions", "--sessions", folder!, "--out", directory.Path);

        Assert.Equal(0, run.ExitCode);
        // The saved lists scored on their 387 points give the figures the data's README quotes.
        Assert.Contains("| V-SKNN (saved list) | the 387 of the saved lists | 0.6098 | 0.3342 |", run.Output, StringComparison.Ordinal);
        Assert.Contains("| AR (saved list) | the 387 of the saved lists | 0.5917 | 0.3160 |", run.Output, StringComparison.Ordinal);
        Assert.Contains("chosen on train_valid", run.Output, StringComparison.Ordinal);
        Assert.Contains("all 10,152 of the test", File.ReadAllText(Path.Combine(directory.Path, "sessions.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsNeedTheirFolderAndRunAlone()
    {
        var missing = await Run.RecoAsync("benchmark", "--models", "sessions");
        var mixed = await Run.RecoAsync("benchmark", "--models", "sessions,ease", "--sessions", AppContext.BaseDirectory);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Option '--sessions' is required for --models sessions.", missing.Errors, StringComparison.Ordinal);
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("--models sessions runs on its own", mixed.Errors, StringComparison.Ordinal);
    }
}
