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
    public void TheTargetsValueCountsOnlyThePlacesTheLoggedPolicyDecided()
    {
        // The logged default's first list ended with a new-arrival slot (9 places decided), its second did not (10).
        var logged = Run([List(9, fixedSlots: 1, clicked: []), List(10, fixedSlots: 0, clicked: [])]);
        // Explore=0 over the same requests: clicks at places 0 and 9 of the first list, 9 of the second.
        var target = Run([List(10, fixedSlots: 0, clicked: [0, 9]), List(10, fixedSlots: 0, clicked: [9])]);

        Assert.Equal(2.0 / 19, target.ClickThroughRateOver(logged), 12);   // place 9 of the first list is left out
        Assert.Equal(3.0 / 20, target.ClickThroughRate, 12);
        Assert.Equal(target.ClickThroughRate, target.ClickThroughRateOver(Run([List(10, 0, [])])), 12);   // unpaired: all places
    }

    private static SimulatedList List(int policySlots, int fixedSlots, int[] clicked) =>
        new("list", [], [], policySlots, [.. Enumerable.Repeat(0.0, fixedSlots)]) { ClickedPositions = clicked };

    private static ServingSimulationRun Run(SimulatedList[] lists) => new(
        new SimulationResult("p", lists.Sum(l => l.ClickedPositions.Count), 0, 0, 0, 0, 0, [lists.Sum(l => l.ClickedPositions.Count)]),
        0, 0, lists.Sum(l => l.Slots), lists, TimeSpan.Zero);

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
