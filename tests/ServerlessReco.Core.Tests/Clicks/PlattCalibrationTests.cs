using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.Core.Tests.Clicks;

/// <summary>
/// Platt scaling recovers a known slope and offset from labels drawn with them, also when the raw scores sit far from
/// the rates (where plain Newton steps diverged to a slope of 10¹¹), and without both classes it changes nothing.
/// </summary>
public sealed class PlattCalibrationTests
{
    [Theory]
    [InlineData(0.5, -1.0, 0.0)]
    [InlineData(0.36, -0.5, -6.0)] // scores around −6 for a rate near 8%: what a hold-out gave the trees
    [InlineData(2.0, 1.0, 3.0)]
    public void ItRecoversTheSlopeAndOffsetTheLabelsWereDrawnWith(double slope, double offset, double centre)
    {
        var random = new Random(5);
        var scores = new double[40_000];
        var labels = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = centre + (3 * ((random.NextDouble() * 2) - 1));
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-((slope * scores[i]) + offset)));
        }

        var fit = PlattCalibration.Fit(scores, labels);

        Assert.InRange(fit.Slope, slope - 0.1, slope + 0.1);
        Assert.InRange(fit.Offset, offset - 0.4, offset + 0.4);
        var predicted = scores.Select(fit.Probability).ToArray();
        Assert.True(ClickMetrics.LogLoss(predicted, labels) < ClickMetrics.LogLoss(scores.Select(new PlattCalibration(1, 0).Probability).ToArray(), labels));
    }

    [Fact]
    public void WithoutBothClassesItIsTheIdentity()
    {
        Assert.Equal(PlattCalibration.Identity, PlattCalibration.Fit([1, 2, 3], [true, true, true]));
        Assert.Equal(PlattCalibration.Identity, PlattCalibration.Fit([1, 2, 3], [false, false, false]));
    }
}
