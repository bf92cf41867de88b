using ServerlessReco.Core.Models;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Core.Tests.Training;

/// <summary>The gate's rule, and <c>auto</c> choosing its challenger by the same rule.</summary>
public class RetrainGateTests
{
    private static ModelScores Scores(double ndcg, double coverage) => new(10, 100, ndcg, 0, 0, 0, coverage);

    [Fact]
    public void AutoPassesOverAKindWithSlightlyBetterNdcgThatTheGateWouldKeepOutForItsCoverage()
    {
        // Seen over HTTP: EASE ahead on nDCG by 0.6% with half the sequence model's coverage. Choosing EASE made the gate
        // keep it out against the sequence champion, and a model trained days earlier went on serving.
        var (ease, sequence) = (Scores(0.2039, 0.2435), Scores(0.2027, 0.4614));

        Assert.Equal(1, RetrainGate.ChooseKind([ease, sequence], tolerance: 0.02));
        Assert.Equal((true, false), RetrainGate.Holds(ease, sequence, 0.02));
        Assert.Equal((true, true), RetrainGate.Holds(sequence, ease, 0.02));
    }

    [Fact]
    public void AutoKeepsTheBetterNdcgWhenItHoldsOnCoverageAndTheEarlierKindOnATie()
    {
        Assert.Equal(0, RetrainGate.ChooseKind([Scores(0.25, 0.40), Scores(0.20, 0.41)], 0.02));
        Assert.Equal(1, RetrainGate.ChooseKind([Scores(0.20, 0.40), Scores(0.25, 0.40)], 0.02));
        Assert.Equal(0, RetrainGate.ChooseKind([Scores(0.20, 0.40), Scores(0.20, 0.40)], 0.02));
    }

    [Fact]
    public void WhenNoKindHoldsAgainstEveryOtherAutoTakesTheChampionsKindElseTheBestNdcg()
    {
        // Seen over HTTP: EASE 2.1% ahead on nDCG, the sequence model twice the coverage. A fresh sequence model passes
        // the gate against the sequence champion (it scores as the refitted champion does); EASE would be kept out.
        var (ease, sequence) = (Scores(0.2159, 0.2217), Scores(0.2114, 0.4481));
        Assert.Equal(1, RetrainGate.ChooseKind([ease, sequence], 0.02, championKind: 1));
        Assert.Equal(0, RetrainGate.ChooseKind([ease, sequence], 0.02, championKind: 0));
        Assert.Equal(0, RetrainGate.ChooseKind([ease, sequence], 0.02));
        Assert.Equal(0, RetrainGate.ChooseKind([Scores(0.30, 0.20)], 0.02, championKind: 1));
    }
}
