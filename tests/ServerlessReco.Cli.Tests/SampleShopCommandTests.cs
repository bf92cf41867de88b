using ServerlessReco.Cli.Commands;

namespace ServerlessReco.Cli.Tests;

public sealed class SampleShopCommandTests : IDisposable
{
    private readonly TemporaryDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task LoadsTheShopOnceAndItsEventsCanBeImportedAgain()
    {
        var store = Path.Combine(_data.Path, "store");
        var jsonl = Path.Combine(_data.Path, "export", "sample.jsonl");
        var command = new SampleShopCommand(environment: []);

        var first = new StringWriter();
        Assert.Equal(0, await command.RunAsync(new CliArguments(["--data-dir", store, "--jsonl", jsonl, "--events", "2000"]), first, TestContext.Current.CancellationToken));
        var second = new StringWriter();
        Assert.Equal(0, await command.RunAsync(new CliArguments(["--data-dir", store, "--events", "2000"]), second, TestContext.Current.CancellationToken));

        Assert.Contains("300 items, 2,000 events from 400 shoppers: 2,000 stored, 0 duplicates", first.ToString());
        Assert.Contains("0 stored, 2,000 duplicates", second.ToString());
        var (events, items) = await TemporaryDataDirectory.ReadStoreAsync(store);
        Assert.Equal((2_000L, 300), (events, items.Count));

        // The export is history in the import's own format: every line valid, and all of it already there.
        var reimport = await Run.ImportAsync("--file", jsonl, "--data-dir", store);
        Assert.Equal(0, reimport.ExitCode);
        Assert.Contains("imported 2,000 rows: 0 stored, 2,000 duplicates, 0 rejected", reimport.Output);
    }
}
