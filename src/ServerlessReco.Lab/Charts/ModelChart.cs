using System.Globalization;
using System.Net;
using System.Text;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Lab.Charts;

/// <summary>
/// A line chart of nDCG@10, precision@10 and coverage across model versions, oldest on the left, as a
/// self-contained SVG: written by hand, no charting package. The serving version is marked.
/// </summary>
public static class ModelChart
{
    private const int Width = 760, Height = 420, Left = 60, Right = 150, Top = 40, Bottom = 120;

    private static readonly (string Name, string Colour, Func<ModelScores, double> Value)[] Series =
    [
        ("nDCG@10", "#1f77b4", s => s.Ndcg),
        ("precision@10", "#ff7f0e", s => s.Precision),
        ("coverage", "#2ca02c", s => s.Coverage),
    ];

    public static string Svg(IReadOnlyList<ModelVersionInfo> versions)
    {
        var points = versions.Where(v => v.Metrics?.Scores is not null).OrderBy(v => v.Version, StringComparer.Ordinal).ToList();
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = points.Count == 0 ? 1 : Math.Max(0.05, points.Max(p => Series.Max(s => s.Value(p.Metrics!.Scores!))));
        var top = Math.Ceiling(max * 10) / 10; // the y axis ends on the next tenth
        double X(int i) => Left + (points.Count <= 1 ? plotWidth / 2.0 : i * plotWidth / (double)(points.Count - 1));
        double Y(double v) => Top + plotHeight * (1 - (v / top));

        var svg = new StringBuilder();
        void Line(string text) => svg.AppendLine(text);
        Line($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""");
        Line($"""<rect width="{Width}" height="{Height}" fill="white"/>""");
        Line($"""<text x="{Left}" y="22" font-size="15" font-weight="bold">Model versions on their retrain's hold-out</text>""");

        for (var t = 0; t <= 5; t++)
        {
            var value = top * t / 5;
            var y = Y(value);
            Line($"""<line x1="{Left}" y1="{F(y)}" x2="{Left + plotWidth}" y2="{F(y)}" stroke="#ddd"/>""");
            Line($"""<text x="{Left - 8}" y="{F(y + 4)}" text-anchor="end">{value.ToString("0.00", CultureInfo.InvariantCulture)}</text>""");
        }

        Line($"""<line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Top + plotHeight}" stroke="#333"/>""");
        Line($"""<line x1="{Left}" y1="{Top + plotHeight}" x2="{Left + plotWidth}" y2="{Top + plotHeight}" stroke="#333"/>""");

        if (points.Count == 0)
        {
            Line($"""<text x="{Left + plotWidth / 2}" y="{Top + plotHeight / 2}" text-anchor="middle" fill="#666">no versions with metrics yet</text>""");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var x = X(i);
            var label = WebUtility.HtmlEncode(points[i].Version) + (points[i].IsCurrent ? " (serving)" : "");
            Line($"""<text x="{F(x)}" y="{Top + plotHeight + 12}" transform="rotate(40 {F(x)} {Top + plotHeight + 12})" font-size="10"{(points[i].IsCurrent ? " font-weight=\"bold\"" : "")}>{label}</text>""");
            if (points[i].IsCurrent)
            {
                Line($"""<line x1="{F(x)}" y1="{Top}" x2="{F(x)}" y2="{Top + plotHeight}" stroke="#999" stroke-dasharray="4 3"/>""");
            }
        }

        for (var s = 0; s < Series.Length; s++)
        {
            var (name, colour, value) = Series[s];
            var coordinates = points.Select((p, i) => $"{F(X(i))},{F(Y(value(p.Metrics!.Scores!)))}").ToList();
            if (coordinates.Count > 1)
            {
                Line($"""<polyline fill="none" stroke="{colour}" stroke-width="2" points="{string.Join(' ', coordinates)}"/>""");
            }

            foreach (var point in coordinates)
            {
                var xy = point.Split(',');
                Line($"""<circle cx="{xy[0]}" cy="{xy[1]}" r="3.5" fill="{colour}"/>""");
            }

            var legendY = Top + 10 + (s * 20);
            Line($"""<line x1="{Width - Right + 15}" y1="{legendY}" x2="{Width - Right + 35}" y2="{legendY}" stroke="{colour}" stroke-width="2"/>""");
            Line($"""<text x="{Width - Right + 40}" y="{legendY + 4}">{name}</text>""");
        }

        Line("</svg>");
        return svg.ToString();
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
