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
        var first = await Run.RecoAsync("sample-shop", "--data-dir", store, "--jsonl", jsonl, "--events", "2000");
        var second = await Run.RecoAsync("sample-shop", "--data-dir", store, "--events", "2000");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("300 items, 2,000 events from 400 shoppers: 2,000 stored, 0 duplicates", first.Output);
        Assert.Contains("0 stored, 2,000 duplicates", second.Output);
        var (events, items) = await TemporaryDataDirectory.ReadStoreAsync(store);
        Assert.Equal((2_000L, 300), (events, items.Count));

        // The export is history in the import's own format: every line valid, and all of it already there.
        var reimport = await Run.ImportAsync("--file", jsonl, "--data-dir", store);
        Assert.Equal(0, reimport.ExitCode);
        Assert.Contains("imported 2,000 rows: 0 stored, 2,000 duplicates, 0 rejected", reimport.Output);
    }
}
