using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

/// <summary>The oracle arm in a world small enough to know its every figure by hand.</summary>
public class OracleArmTests
{
    [Fact]
    public void TheOracleShowsTheTrueBestItemsBestFirstAndNeverOffersOneTakenUpAgain()
    {
        // One shopper, four items clicked with probability 0.9, 0.5, 0.3 and 0.1; lists of two; position 1 counts half.
        var world = new FixedWorld([0.9, 0.5, 0.3, 0.1]);
        var arm = new OracleArm(world, seed: 1, listSize: 2, rounds: 2);

        arm.Serve(round: 0, request: 0, user: 0);
        arm.Visited(0, "item-0");           // found on their own: the best is not offered again
        arm.Serve(round: 1, request: 0, user: 0);

        var result = arm.Result();
        Assert.Equal(0.9 + (0.5 * 0.5), result.ExpectedByRound[0], 12);
        Assert.Equal(0.5 + (0.3 * 0.5), result.ExpectedByRound[1], 12);
        Assert.Equal(result.ExpectedByRound.Sum(), result.ExpectedClicks, 12);
        Assert.Equal(3, result.DistinctShown);
    }

    [Fact]
    public void AnItemClickedInTheOraclesListIsTakenUpAndLeavesItsLaterLists()
    {
        // Item 0 is always clicked (probability 1 at the top): the next request shows the two after it.
        var world = new FixedWorld([1.0, 0.4, 0.2]);
        var arm = new OracleArm(world, seed: 3, listSize: 2, rounds: 1);

        arm.Serve(0, 0, 0);
        arm.Serve(0, 1, 0);

        var result = arm.Result();
        Assert.True(result.Clicks >= 1);
        Assert.Equal(1.0 + (0.4 * 0.5) + 0.4 + (0.2 * 0.5), result.ExpectedClicks, 12);
        Assert.Equal(3, result.DistinctShown);
    }

    [Fact]
    public async Task EveryPolicyRunOfASeedFacesTheSameOracleAndEarnsAShareOfIt()
    {
        var options = new ServingSimulationOptions { Rounds = 6, RequestsPerRound = 10, RetrainEvery = 3 };
        using var first = new EmbeddedSimulationStores();
        using var second = new EmbeddedSimulationStores();

        var cancel = TestContext.Current.CancellationToken;
        var exploitation = await ServingSimulation.RunAsync(SimulatedPolicy.PureExploitation, options, first.Stores, cancellationToken: cancel);
        var explorer = await ServingSimulation.RunAsync(SimulatedPolicy.Default, options, second.Stores, cancellationToken: cancel);

        // The product never hears of the oracle: what the policy did changes nothing of it.
        var (a, b) = (exploitation.Result.Oracle!, explorer.Result.Oracle!);
        Assert.Equal(a.ExpectedByRound, b.ExpectedByRound);
        Assert.Equal(a.Clicks, b.Clicks);
        foreach (var run in new[] { exploitation, explorer })
        {
            Assert.Equal(run.Result.ExpectedReward, run.Result.ExpectedByRound.Sum(), 9);
            Assert.InRange(run.Result.OracleShare, 0.01, 0.99);
        }
    }

    [Fact]
    public void TheChartDrawsEachDaysShareOfTheOracleAndLeavesOutRunsWithoutOne()
    {
        var oracle = new OracleArmResult(30, [10, 20], 3, 5);
        SimulationResult Result(string policy, OracleArmResult? arm) =>
            new(policy, 5, 15, 30, 15, 0.5, 0.5, [2, 3]) { ExpectedByRound = [5, 10], Oracle = arm };

        var svg = Charts.SimulationChart.OracleShareSvg([Result("with the oracle", oracle), Result("without", null)]);

        Assert.Equal(0.5, Result("with the oracle", oracle).OracleShare, 12);
        Assert.Contains("share of the oracle", svg, StringComparison.Ordinal);
        Assert.Contains("with the oracle", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("without", svg, StringComparison.Ordinal);
    }

    /// <summary>One shopper, items with fixed click probabilities, position 1 and later at half.</summary>
    private sealed class FixedWorld(double[] probabilities) : IShopWorld
    {
        private readonly WorldItem[] _items = [.. probabilities.Select((_, i) => new WorldItem($"item-{i}", 0, 0.5, 0.5, 0))];

        public string Name => "fixed";

        public int Users => 1;

        public IReadOnlyList<WorldItem> Items => _items;

        public IReadOnlyList<WorldItem> BeginRound(int round) => [];

        public int NextUser() => 0;

        public double ClickProbability(int user, WorldItem item) => probabilities[Array.IndexOf(_items, item)];

        public double PositionDiscount(int position) => position == 0 ? 1 : 0.5;

        public AfterClick AfterClick(int user, WorldItem item) => new(0, 0);

        public IReadOnlyList<OrganicVisit> Browse() => [];
    }
}
