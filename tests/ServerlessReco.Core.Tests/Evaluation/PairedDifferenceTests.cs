using ServerlessReco.Core.Evaluation;

namespace ServerlessReco.Core.Tests.Evaluation;

/// <summary>The paired per-user difference the gate's intervals are made of.</summary>
public class PairedDifferenceTests
{
    [Fact]
    public void MeanAndStandardErrorAreThoseOfThePerUserDifferences()
    {
        // Differences 0.1, 0.3, -0.1, 0.1: mean 0.1, sample variance (0 + 0.04 + 0.04 + 0) / 3, s.e. √(variance / 4).
        var a = new Dictionary<string, double> { ["u1"] = 0.5, ["u2"] = 0.6, ["u3"] = 0.1, ["u4"] = 0.4 };
        var b = new Dictionary<string, double> { ["u1"] = 0.4, ["u2"] = 0.3, ["u3"] = 0.2, ["u4"] = 0.3 };

        var d = PairedDifference.Between(a, b);

        Assert.Equal(4, d.Users);
        Assert.Equal(0.1, d.Mean, 12);
        Assert.Equal(Math.Sqrt(0.08 / 3 / 4), d.StandardError, 12);
        Assert.Equal(0.1 - (1.96 * d.StandardError), d.Lower(1.96), 12);
        Assert.Equal(0.1 + (1.96 * d.StandardError), d.Upper(1.96), 12);
    }

    [Fact]
    public void PairingRemovesWhatUsersVaryByAndAUserOneSideLacksScoresZeroThere()
    {
        // Both models score each user alike apart from a constant 0.01: unpaired means would carry the users' spread,
        // the paired difference has none. u9 is only in a: b scores 0 for it.
        var a = Enumerable.Range(0, 8).ToDictionary(i => $"u{i}", i => (i / 8.0) + 0.01);
        var b = Enumerable.Range(0, 8).ToDictionary(i => $"u{i}", i => i / 8.0);
        a["u9"] = 0.5;

        var withExtra = PairedDifference.Between(a, b);
        a.Remove("u9");
        var paired = PairedDifference.Between(a, b);

        Assert.Equal(0.01, paired.Mean, 12);
        Assert.Equal(0, paired.StandardError, 12);
        Assert.Equal(9, withExtra.Users);
        Assert.Equal(((8 * 0.01) + 0.5) / 9, withExtra.Mean, 12);
        Assert.True(withExtra.StandardError > 0);
    }

    [Fact]
    public void OneUserCannotTellNoiseFromADifferenceAndNoneIsZero()
    {
        var one = PairedDifference.Of([-0.3]);
        Assert.Equal(0.3, one.StandardError, 12);
        Assert.Equal(0, one.Upper(1), 12);
        Assert.Equal(new PairedDifference(0, 0, 0), PairedDifference.Of([]));
    }
}
