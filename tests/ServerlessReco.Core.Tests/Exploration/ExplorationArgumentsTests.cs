using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>The one set of rules the exploration route and the CLI parse their window and rates by.</summary>
public sealed class ExplorationArgumentsTests
{
    [Theory]
    [InlineData("0,0.1,0.5,1", new[] { 0, 0.1, 0.5, 1 })]
    [InlineData(".25", new[] { 0.25 })]
    public void RatesFromZeroToOneParse(string text, double[] expected) =>
        Assert.Equal(expected, ExplorationArguments.ParseRates(text));

    [Theory]
    [InlineData("NaN")]
    [InlineData("0,NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("∞")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("1e-1")]
    [InlineData("0,,0.1")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")] // 21
    public void AnythingElseIsNoListOfRates(string? text) => Assert.Null(ExplorationArguments.ParseRates(text));

    [Theory]
    [InlineData("1", true)]
    [InlineData("90", true)]
    [InlineData("0", false)]
    [InlineData("91", false)]
    [InlineData("+7", false)]
    [InlineData("7.0", false)]
    [InlineData(null, false)]
    public void DaysAreAWholeNumberWithinTheWindow(string? text, bool valid) =>
        Assert.Equal(valid, ExplorationArguments.TryParseDays(text, out _));
}
