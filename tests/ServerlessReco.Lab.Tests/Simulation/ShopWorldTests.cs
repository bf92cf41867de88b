using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

/// <summary>The hand-built world's truth.</summary>
public class ShopWorldTests
{
    [Fact]
    public void OnTheTasteShiftDayTheHandBuiltShoppersInterestsChangeAltogether()
    {
        var options = new ServingSimulationOptions { Seed = 2, TasteShiftDay = 3 };
        var world = new ShopWorld(options);
        var shift = options.WarmUpRounds + 3;
        double[] Clicks() => [.. Enumerable.Range(0, 50).SelectMany(u => world.Items.Take(80).Select(i => world.ClickProbability(u, i)))];
        var before = Clicks();
        world.BeginRound(shift - 1);
        var drifted = Clicks();
        world.BeginRound(shift);
        var shifted = Clicks();

        // A day's drift keeps tastes close; the shift day leaves little of them.
        Assert.True(Correlation(before, drifted) > 0.9, $"a day's drift: {Correlation(before, drifted):0.000}");
        Assert.True(Correlation(drifted, shifted) < 0.5, $"the shift: {Correlation(drifted, shifted):0.000}");
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }
}
