using ScottPlot;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Charts;

/// <summary>Cumulative clicks, distinct items shown and the share of the oracle over the simulated days, one line per policy, drawn by ScottPlot as SVG.</summary>
public static class SimulationChart
{
    private static readonly Color[] Colours = [.. new[] { "#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd", "#ff7f0e" }.Select(Color.FromHex)];

    /// <summary>Clicks so far against the day, one line per policy.</summary>
    public static string Svg(IReadOnlyList<SimulationResult> results, int width = 640, int height = 400, string title = "Clicks over the simulated days")
    {
        ArgumentNullException.ThrowIfNull(results);
        return Lines(results, r =>
        {
            double sum = 0;
            return [.. r.RewardByRound.Select(v => sum += v)];
        }, title, "clicks so far", width, height);
    }

    /// <summary>Distinct items shown so far (coverage) against the day, one line per policy.</summary>
    public static string CoverageSvg(IReadOnlyList<SimulationResult> results, int width = 640, int height = 400, string title = "Distinct items shown over the simulated days")
    {
        ArgumentNullException.ThrowIfNull(results);
        return Lines(results, r => [.. r.DistinctShownByRound], title, "distinct items shown so far", width, height);
    }

    /// <summary>
    /// Each day's expected clicks as a share of the oracle arm's that day, one line per policy: how much of the ceiling a
    /// policy reaches as it learns (and after tastes change). Runs without an oracle arm draw no line.
    /// </summary>
    /// <remarks>
    /// The oracle's shoppers use up their best items (what they took up leaves the oracle's lists), so late in a run a
    /// policy's day can earn more than the oracle's. The lines start low and rise, so the legend sits at the lower right.
    /// </remarks>
    public static string OracleShareSvg(IReadOnlyList<SimulationResult> results, int width = 800, int height = 450, string title = "Expected clicks as a share of the oracle's")
    {
        ArgumentNullException.ThrowIfNull(results);
        var withOracle = results.Where(r => r.Oracle is not null).ToList();
        return Lines(withOracle, r => [.. r.ExpectedByRound.Select((e, d) => d < r.Oracle!.ExpectedByRound.Count && r.Oracle.ExpectedByRound[d] > 0 ? e / r.Oracle.ExpectedByRound[d] : 0)],
            title, "÷ the oracle's expected clicks that day", width, height, Alignment.LowerRight);
    }

    private static string Lines(
        IReadOnlyList<SimulationResult> results, Func<SimulationResult, double[]> series, string title, string yLabel, int width, int height, Alignment legend = Alignment.UpperLeft)
    {
        var plot = new Plot();
        var lines = results.Select(series).ToList();
        var rounds = lines.Count == 0 ? 0 : lines.Max(l => l.Length);
        plot.Title(title);
        plot.XLabel($"day (of {rounds})");
        plot.YLabel(yLabel);
        for (var r = 0; r < results.Count; r++)
        {
            var days = Enumerable.Range(1, lines[r].Length).Select(d => (double)d).ToArray();
            var line = plot.Add.ScatterLine(days, lines[r], Colours[r % Colours.Length]);
            line.LegendText = results[r].Policy;
            line.LineWidth = 2;
        }

        plot.Axes.SetLimitsX(0, Math.Max(1, rounds));
        plot.Axes.SetLimitsY(0, Math.Max(1, lines.Count == 0 ? 0 : lines.Max(l => l.DefaultIfEmpty(0).Max())) * 1.05);
        plot.ShowLegend(legend);
        return plot.GetSvgXml(width, height);
    }
}
