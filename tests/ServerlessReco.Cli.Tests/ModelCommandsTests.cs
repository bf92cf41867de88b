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

        // ScottPlot's SVG: the three series named in the legend, every version under its point, the serving one marked.
        var svg = XDocument.Parse(await File.ReadAllTextAsync(chart, Cancel));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = svg.Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Subset(texts.ToHashSet(), new HashSet<string> { "nDCG@10", "precision@10", "coverage" });
        var (serving, older) = (Version(rows[0]), Version(rows[1]));
        Assert.Contains($"{serving} (serving)", texts);
        Assert.Contains(older, texts);
        Assert.True(new FileInfo(chart).Length > 5_000, "the chart has axes, grid, lines and labels, not an empty page");

        var (code, promoted) = await RunAsync("promote", older);
        Assert.Equal(0, code);
        Assert.StartsWith($"{older} serves now", promoted, StringComparison.Ordinal);
        var (unknown, _) = await RunAsync("promote", "19990101T000000Z-none");
        Assert.Equal(1, unknown);
    }

    /// <summary>The version named on a line of <c>reco models</c> (after the '*' that marks the serving one).</summary>
    private static string Version(string row) => row.TrimStart('*').Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    public void Dispose() => _data.Dispose();
}
