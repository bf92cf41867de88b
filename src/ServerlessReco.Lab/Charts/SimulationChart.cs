using System.Globalization;
using System.Text;

using ServerlessReco.Lab.Simulation;
namespace ServerlessReco.Lab.Charts;

/// <summary>Cumulative reward over rounds, one line per policy, as a self-contained SVG document.</summary>
public static class SimulationChart
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd", "#ff7f0e"];

    public static string Svg(IReadOnlyList<SimulationResult> results, int width = 640, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(results);
        const int margin = 50;
        var rounds = results.Count == 0 ? 0 : results.Max(r => r.RewardByRound.Count);
        var max = Math.Max(1, results.Count == 0 ? 0 : results.Max(r => r.RewardByRound.Sum()));
        var c = CultureInfo.InvariantCulture;
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(c, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(c, $"<line x1=\"{margin}\" y1=\"{height - margin}\" x2=\"{width - 10}\" y2=\"{height - margin}\" stroke=\"black\"/>\n");
        svg.Append(c, $"<line x1=\"{margin}\" y1=\"10\" x2=\"{margin}\" y2=\"{height - margin}\" stroke=\"black\"/>\n");
        svg.Append(c, $"<text x=\"{width / 2}\" y=\"{height - 15}\" text-anchor=\"middle\">round (of {rounds})</text>\n");
        svg.Append(c, $"<text x=\"{margin}\" y=\"{height - margin + 15}\" text-anchor=\"middle\">0</text>\n");
        svg.Append(c, $"<text x=\"5\" y=\"20\">{max:0} clicks</text>\n");
        for (var r = 0; r < results.Count; r++)
        {
            var points = new StringBuilder();
            double cumulative = 0;
            var byRound = results[r].RewardByRound;
            for (var t = 0; t < byRound.Count; t++)
            {
                cumulative += byRound[t];
                var x = margin + (width - 10 - margin) * (t + 1.0) / Math.Max(1, rounds);
                var y = height - margin - (height - margin - 10) * cumulative / max;
                points.Append(c, $"{x:0.#},{y:0.#} ");
            }
            var colour = Colours[r % Colours.Length];
            svg.Append(c, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"/>\n");
            svg.Append(c, $"<text x=\"{margin + 10}\" y=\"{25 + 15 * r}\" fill=\"{colour}\">{Escape(results[r].Policy)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
