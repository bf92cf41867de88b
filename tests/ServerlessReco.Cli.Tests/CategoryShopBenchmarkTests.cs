namespace ServerlessReco.Cli.Tests;

/// <summary>`reco benchmark --models category-shop`: issue 21's check on generated shops, in process and through a really started local host.</summary>
public sealed class CategoryShopBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheCheckPrintsEveryMethodWithIntervalsAndTheIssuesChecks()
    {
        using var directory = new TemporaryDataDirectory();
        var run = await Run.RecoAsync("benchmark", "--models", "category-shop", "--scale", "small", "--seeds", "2", "--out", directory.Path);

        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Errors);
        var report = File.ReadAllText(Path.Combine(directory.Path, "category-shop.md"));
        Assert.StartsWith("`reco benchmark --models category-shop --scale small --seeds 2`: 3,000 shoppers, 3,000 items in 150 categories", report, StringComparison.Ordinal);
        foreach (var method in new[] { "ServerlessReco (over HTTP)", "ServerlessReco (in process, explore 0)", "popularity", "category popularity", "item-to-item co-occurrence" })
        {
            Assert.Matches($@"\| {System.Text.RegularExpressions.Regex.Escape(method)} \| 0\.\d{{4}} ± 0\.\d{{4}} \| 0\.\d{{4}} ± 0\.\d{{4}} \|", report);
        }

        // The events are 30 days old, past trending's window: the first model must serve and fill every list.
        Assert.Contains("- first model served: yes, on 2 of 2 seeds", report, StringComparison.Ordinal);
        Assert.Contains("- no list empty: yes, 0 empty of ", report, StringComparison.Ordinal);
        Assert.Contains("- not below the best baseline: ", report, StringComparison.Ordinal);
        Assert.Contains("\"rows\"", File.ReadAllText(Path.Combine(directory.Path, "category-shop.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCategoryShopRunsAlone()
    {
        var mixed = await Run.RecoAsync("benchmark", "--models", "category-shop,ease");

        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("--models category-shop runs on its own", mixed.Errors, StringComparison.Ordinal);
    }
}
