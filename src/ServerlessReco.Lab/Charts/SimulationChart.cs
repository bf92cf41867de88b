using ScottPlot;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Charts;

/// <summary>Cumulative clicks over the simulated days, one line per policy, drawn by ScottPlot as SVG.</summary>
public static class SimulationChart
{
    private static readonly Color[] Colours = [.. new[] { "#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd", "#ff7f0e" }.Select(Color.FromHex)];

    public static string Svg(IReadOnlyList<SimulationResult> results, int width = 640, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plot = new Plot();
        var rounds = results.Count == 0 ? 0 : results.Max(r => r.RewardByRound.Count);
        plot.Title("Clicks over the simulated days");
        plot.XLabel($"day (of {rounds})");
        plot.YLabel("clicks so far");
        for (var r = 0; r < results.Count; r++)
        {
            var byRound = results[r].RewardByRound;
            var days = Enumerable.Range(1, byRound.Count).Select(d => (double)d).ToArray();
            double sum = 0;
            var cumulative = byRound.Select(v => sum += v).ToArray();
            var line = plot.Add.ScatterLine(days, cumulative, Colours[r % Colours.Length]);
            line.LegendText = results[r].Policy;
            line.LineWidth = 2;
        }

        plot.Axes.SetLimitsX(0, Math.Max(1, rounds));
        plot.Axes.SetLimitsY(0, Math.Max(1, results.Count == 0 ? 0 : results.Max(r => r.RewardByRound.Sum())) * 1.05);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(width, height);
    }
}
