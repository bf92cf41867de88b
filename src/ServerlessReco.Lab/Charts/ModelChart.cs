using ScottPlot;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Lab.Charts;

/// <summary>
/// A line chart of nDCG@10, precision@10 and coverage across model versions, oldest on the left, drawn by
/// ScottPlot as SVG. The serving version is marked by a dashed line and "(serving)" under it.
/// </summary>
public static class ModelChart
{
    private const int Width = 760, Height = 500;

    private static readonly (string Name, Color Colour, Func<ModelScores, double> Value)[] Series =
    [
        ("nDCG@10", Color.FromHex("#1f77b4"), s => s.Ndcg),
        ("precision@10", Color.FromHex("#ff7f0e"), s => s.Precision),
        ("coverage", Color.FromHex("#2ca02c"), s => s.Coverage),
    ];

    public static string Svg(IReadOnlyList<ModelVersionInfo> versions)
    {
        var points = versions.Where(v => v.Metrics?.Scores is not null).OrderBy(v => v.Version, StringComparer.Ordinal).ToList();
        var plot = new Plot();
        plot.Title("Model versions on their retrain's hold-out");
        var xs = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();
        foreach (var (name, colour, value) in Series)
        {
            var line = plot.Add.Scatter(xs, [.. points.Select(p => value(p.Metrics!.Scores!))], colour);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        if (points.FindIndex(p => p.IsCurrent) is var serving and >= 0)
        {
            plot.Add.VerticalLine(serving, 1, Colors.Gray, LinePattern.Dashed);
        }

        if (points.Count == 0)
        {
            plot.Add.Annotation("no versions with metrics yet", Alignment.MiddleCenter);
        }

        plot.Axes.Bottom.SetTicks(xs, [.. points.Select(p => p.Version + (p.IsCurrent ? " (serving)" : ""))]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 190; // room for the rotated version names
        var highest = points.Count == 0 ? 0 : points.Max(p => Series.Max(s => s.Value(p.Metrics!.Scores!)));
        plot.Axes.SetLimitsY(0, Math.Ceiling(Math.Max(0.05, highest) * 10) / 10); // the y axis ends on the next tenth
        plot.Axes.SetLimitsX(-0.5, Math.Max(0.5, points.Count - 0.5));
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(Width, Height);
    }
}
