using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Diversity;

public class DiversityOptionsTests
{
    [Fact]
    public void DefaultsAreOffAndValid()
    {
        var options = new DiversityOptions();
        options.Validate();
        Assert.True(options.IsOff);
        Assert.Equal("off", options.ToString());
    }

    [Fact]
    public void ServingDiversityIsOffByDefault() => Assert.True(new ServingOptions().Diversity.IsOff);

    [Theory]
    [InlineData(-0.1, 1, 0, 100, "MmrLambda")]
    [InlineData(1.1, 1, 0, 100, "MmrLambda")]
    [InlineData(double.NaN, 1, 0, 100, "MmrLambda")]
    [InlineData(1, 0, 0, 100, "MaxCategoryShare")]
    [InlineData(1, 1.5, 0, 100, "MaxCategoryShare")]
    [InlineData(1, double.NaN, 0, 100, "MaxCategoryShare")]
    [InlineData(1, 1, -0.5, 100, "PopularityPenalty")]
    [InlineData(1, 1, double.PositiveInfinity, 100, "PopularityPenalty")]
    [InlineData(1, 1, double.NaN, 100, "PopularityPenalty")]
    [InlineData(1, 1, 0, 0, "Candidates")]
    public void InvalidSettingsAreRejectedByName(double lambda, double share, double penalty, int candidates, string name)
    {
        var options = new DiversityOptions { MmrLambda = lambda, MaxCategoryShare = share, PopularityPenalty = penalty, Candidates = candidates };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains($"Diversity:{name}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new DiversityReranker(options));
        Assert.Throws<ArgumentException>(new ServingOptions { Diversity = options }.Validate);
    }

    [Fact]
    public void DescriptionNamesOnlyTheKnobsInUse() =>
        Assert.Equal("MMR λ 0.7, popularity penalty 0.3", new DiversityOptions { MmrLambda = 0.7, PopularityPenalty = 0.3 }.ToString());
}
