using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>
/// A retrain's rate choice holds only under the configured rate it was chosen under: when the operator changes
/// <c>Serving__Explore</c>, their rate serves (and the next retrain starts from it), whether the choice stayed or moved.
/// </summary>
public sealed class ExplorationRateChoiceTests
{
    /// <summary>A choice of <paramref name="rate"/> from <paramref name="previous"/>, made while <paramref name="configured"/> was the configured rate.</summary>
    private static ExplorationRateChoice Chose(double rate, double previous, double? configured) =>
        new(rate, previous, "test", 5000) { ConfiguredRate = configured, Minimum = 0.02, Maximum = 0.3 };

    [Fact]
    public void AChoiceServesWhileTheRateItWasChosenUnderIsStillConfigured()
    {
        var moved = Chose(0.15, 0.1, configured: 0.1);
        var stayedAfterMoving = Chose(0.15, 0.15, configured: 0.1); // a chain: 0.1 → 0.15, then 0.15 stays

        Assert.Equal(0.15, new ServingOptions { Explore = 0.1 }.ChosenRate(moved)?.Rate);
        Assert.Equal(0.15, new ServingOptions { Explore = 0.1 }.ChosenRate(stayedAfterMoving)?.Rate);
        Assert.Equal(0.15, ExplorationRateChoice.StartingRate(stayedAfterMoving, configured: 0.1));
    }

    [Theory]
    [InlineData(0.1, 0.1)] // stayed at the configured rate
    [InlineData(0.15, 0.1)] // moved up from it
    [InlineData(0.07, 0.1)] // moved down from it
    public void AnOperatorsNewConfiguredRateServesAtOnceWhetherTheChoiceStayedOrMoved(double rate, double previous)
    {
        var choice = Chose(rate, previous, configured: 0.1);

        foreach (var changed in new[] { 0.05, 0.2 })
        {
            Assert.Null(new ServingOptions { Explore = changed }.ChosenRate(choice)); // null: the configured rate serves
            Assert.Equal(changed, ExplorationRateChoice.StartingRate(choice, changed));
        }
    }

    [Fact]
    public void AChoiceStoredWithoutItsConfiguredRateOrNoChoiceAtAllLeavesTheConfiguredRate()
    {
        var unrecorded = Chose(0.15, 0.1, configured: null);

        Assert.Null(new ServingOptions { Explore = 0.1 }.ChosenRate(unrecorded));
        Assert.Equal(0.1, ExplorationRateChoice.StartingRate(unrecorded, 0.1));
        Assert.Equal(0.1, ExplorationRateChoice.StartingRate(null, 0.1));
    }

    [Fact]
    public void TheConfiguredRateTheChoiceWasMadeUnderSurvivesTheStoredJson()
    {
        var read = System.Text.Json.JsonSerializer.Deserialize<ExplorationRateChoice>(Chose(0.15, 0.1, configured: 0.1).ToBytes(), Core.Recommendation.ModelArtifact.Json)!;

        Assert.Equal(0.1, read.ConfiguredRate);
        Assert.True(read.HoldsUnder(0.1));
    }
}
