using ServerlessReco.Lab.Charts;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

/// <summary>The figures a simulated run reports and their chart; the loop itself is tested through `reco simulate`.</summary>
public class SimulationResultTests
{
    [Fact]
    public void GiniIsZeroForEvenExposureAndNearOneForASingleItem()
    {
        Assert.Equal(0, Exposure.Gini([3, 3, 3, 3]), 12);
        Assert.Equal(0.75, Exposure.Gini([0, 0, 0, 8]), 12);   // (n − 1) / n
        Assert.Equal(0, Exposure.Gini([0, 0]), 12);
    }

    [Fact]
    public void TheChartIsAnSvgNamingEveryPolicy()
    {
        var results = new[]
        {
            new SimulationResult("a<b", 3, 3, 5, 2, 0.5, 0.1, [1, 2]),
            new SimulationResult("c", 1, 1, 5, 4, 0.2, 0.3, [0, 1]),
        };
        var svg = SimulationChart.Svg(results);
        var document = System.Xml.Linq.XDocument.Parse(svg);
        var texts = document.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.Contains("a<b", texts);   // each policy in the legend, escaped in the file
        Assert.Contains("c", texts);
        Assert.Contains("day (of 2)", texts);
        Assert.Contains("a&lt;b", svg, StringComparison.Ordinal);
        Assert.True(svg.Length > 5_000, "axes, grid, two lines and a legend, not an empty page");
    }
}
