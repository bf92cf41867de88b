using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Clicks;

/// <summary>
/// The click model's gate on seeded logged lists whose click probabilities are known and do not depend on position:
/// predictions that follow the truth pass with a gain whose interval is above zero, predictions that invert it fail,
/// and too few lists decide nothing.
/// </summary>
public sealed class ClickModelGateTests
{
    private static (List<ClickRow> Rows, double[] Truth) Logged(int lists, int seed = 9)
    {
        var random = new Random(seed);
        var (rows, truth) = (new List<ClickRow>(), new List<double>());
        var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var l = 0; l < lists; l++)
        {
            for (var p = 0; p < 8; p++)
            {
                var probability = random.NextDouble() * 0.4;
                var explore = p >= 6;
                rows.Add(new ClickRow(
                    "pu-u", $"sku-{random.Next(500)}", $"rec-{l:D5}", at.AddMinutes(l), p, explore ? SlotKind.Explore : SlotKind.Exploit, explore ? 0.2 : 0.9, p, 0,
                    ReasonKind.History, ClickRowOrigin.Served, random.NextDouble() < probability ? ClickOutcome.Clicked : ClickOutcome.None));
                truth.Add(probability);
            }
        }

        return (rows, [.. truth]);
    }

    [Fact]
    public void PredictionsThatFollowTheTruthPassWithAGainAboveNoise()
    {
        var (rows, truth) = Logged(400);

        var gate = ClickModelGate.Judge(rows, truth)!;

        Assert.Equal(400, gate.Lists);
        Assert.True(gate.NotWorse);
        Assert.True(gate.Ips.Lower > 0 && gate.SelfNormalisedIps.Lower > 0, $"{gate.Ips} {gate.SelfNormalisedIps}");
        Assert.InRange(gate.SelfNormalisedIps.Difference, gate.SelfNormalisedIps.Lower, gate.SelfNormalisedIps.Upper);
    }

    [Fact]
    public void PredictionsThatInvertTheTruthFail()
    {
        var (rows, truth) = Logged(400);

        var gate = ClickModelGate.Judge(rows, [.. truth.Select(p => -p)])!;

        Assert.False(gate.NotWorse);
        Assert.True(gate.SelfNormalisedIps.Upper < 0);
    }

    [Fact]
    public void TooFewListsDecideNothing()
    {
        var (rows, truth) = Logged(ClickModelGate.MinimumLists - 1);

        Assert.Null(ClickModelGate.Judge(rows, truth));
    }

    [Fact]
    public void TheSameLogsDecideTheSameEveryTime()
    {
        var (rows, truth) = Logged(100);

        Assert.Equal(ClickModelGate.Judge(rows, truth), ClickModelGate.Judge(rows, truth));
    }
}
