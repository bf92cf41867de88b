using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

public class SeedIntervalTests
{
    [Fact]
    public void TheIntervalIsTheMeanPlusOrMinusTTimesTheStandardError()
    {
        var interval = SeedInterval.Of([1, 2, 3, 4, 5]);

        Assert.Equal(3, interval.Mean, 12);
        // s = √2.5, s.e. = √0.5, t(0.975, 4) = 2.776
        Assert.Equal(2.776 * Math.Sqrt(0.5), interval.HalfWidth, 12);
        Assert.Equal(3 - (2.776 * Math.Sqrt(0.5)), interval.Low, 12);
        Assert.Equal(5, interval.Seeds);
    }

    [Fact]
    public void OneSeedHasAMeanButNoInterval()
    {
        var interval = SeedInterval.Of([0.7]);

        Assert.Equal(0.7, interval.Mean);
        Assert.True(double.IsNaN(interval.HalfWidth));
        Assert.Equal("0.70", interval.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EqualValuesHaveAnIntervalOfZeroWidth()
    {
        Assert.Equal(0, SeedInterval.Of([2, 2, 2]).HalfWidth);
    }

    [Fact]
    public void TQuantilesFollowTheTableAndApproachTheNormalBeyondIt()
    {
        Assert.Equal(12.706, StudentT.Quantile975(1));
        Assert.Equal(2.776, StudentT.Quantile975(4));
        Assert.Equal(2.042, StudentT.Quantile975(30));
        Assert.InRange(StudentT.Quantile975(31), 2.037, 2.042);   // exact 2.0395
        Assert.InRange(StudentT.Quantile975(120), 1.979, 1.981);  // exact 1.9799
        Assert.InRange(StudentT.Quantile975(100_000), 1.9599, 1.9601);
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile975(0));
    }
}
