using System.Xml.Linq;

namespace ServerlessReco.Cli.Tests;

public sealed class ModelCommandsTests : IDisposable
{
    private readonly TemporaryDataDirectory _data = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<(int Code, string Output)> RunAsync(params string[] args) => _data.RunAsync(args);

    [Fact]
    public async Task RetrainListChartAndRollBack()
    {
        await RunAsync("sample-shop");
        var (_, first) = await RunAsync("retrain");
        var (_, skipped) = await RunAsync("retrain");
        await RunAsync("sample-shop", "--seed", "7", "--events", "300");
        var (_, second) = await RunAsync("retrain");
        var chart = Path.Combine(_data.Path, "chart", "models.svg");
        var (_, listed) = await RunAsync("models", "--chart", chart);

        Assert.Contains("Retrain read 5000 events", first, StringComparison.Ordinal);
        Assert.Contains("decision: promoted", first, StringComparison.Ordinal);
        Assert.Contains("decision: skipped: nothing changed", skipped, StringComparison.Ordinal);
        Assert.Contains("decision: promoted", second, StringComparison.Ordinal);
        var rows = listed.Split('\n').Where(l => l.Contains("ease", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("*", rows[0], StringComparison.Ordinal);

        var svg = XDocument.Parse(await File.ReadAllTextAsync(chart, Cancel));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count());
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "nDCG@10");

        var older = rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var (code, promoted) = await RunAsync("promote", older);
        Assert.Equal(0, code);
        Assert.StartsWith($"{older} serves now", promoted, StringComparison.Ordinal);
        var (unknown, _) = await RunAsync("promote", "19990101T000000Z-none");
        Assert.Equal(1, unknown);
    }

    public void Dispose() => _data.Dispose();
}
