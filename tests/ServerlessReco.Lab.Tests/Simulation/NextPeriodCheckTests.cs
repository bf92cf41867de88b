using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

public sealed class NextPeriodCheckTests
{
    // Two lists a day, a retrain every two days, lists of 10 (the gate judges their top half, 5 slots).
    private static readonly ServingSimulationOptions Options = new() { Rounds = 4, RequestsPerRound = 2, RetrainEvery = 2 };

    // Every list: one slot the policy decided, from two candidates the shopper clicks with 0.4 and 0.1; what it showed earned 0.3.
    private static readonly SimulatedList[] Lists =
        [.. Enumerable.Range(0, 8).Select(i => new SimulatedList($"r{i}", [new Candidate("a", 2), new Candidate("b", 1)], [0.4, 0.1], 1, [0.05]) { PolicySlotExpected = 0.3 })];

    [Fact]
    public void EachRetrainsRecordedEstimatesMeetWhatTheNextPeriodEarnedAtTheRateThatServedAndAtExploreZero()
    {
        var choice = new ExplorationRateChoice(0.15, 0.1, "up", 1000)
        {
            Exploitation = Evidence(0, 0.44),
            Evidence = [Evidence(0.1, 0.27), Evidence(0.15, 0.33)],
        };
        var gate = new ClickModelGateRecord(40, new(2.4, 2, 0.4, 0.1, 0.7), new(2.5, 2, 0.5, 0.2, 0.8), NotWorse: true);
        var clickModel = new ClickModelDecision(true, true, "serves") { Gate = gate };
        RetrainEstimates[] retrains =
        [
            new(0, true, choice, clickModel, LoggedByClickModel: false), // nothing logged before it: left out
            new(2, true, choice, clickModel, LoggedByClickModel: true),
        ];

        var comparison = Assert.Single(NextPeriodCheck.Compare(retrains, Lists, Options, new ServingOptions()));

        // Promoted: its chosen 0.15 serves; the next period's policy slots earned 0.3 each, explore=0 would have shown "a" (0.4).
        Assert.Equal((2, 0.15, 0.33, 0.3, 0.44), (comparison.Round, comparison.Rate, comparison.EstimateAtRate, comparison.TruthAtRate, comparison.EstimateAtZero));
        Assert.Equal(0.4, comparison.TruthAtZero!.Value, 12);
        Assert.Equal(0.5, comparison.GateEstimate!.Value, 12); // 2.5 engaged slots in the top 5
        Assert.Equal(0.1, NextPeriodCheck.Gap([comparison], c => c.EstimateAtRate, c => c.TruthAtRate), 12);
    }

    [Fact]
    public void AChallengerKeptBackLeavesTheChampionsRateServingAndItsClickModelOutOfTheCheck()
    {
        var choice = new ExplorationRateChoice(0.15, 0.1, "up", 1000) { Evidence = [Evidence(0.1, 0.27), Evidence(0.15, 0.33)] };
        var clickModel = new ClickModelDecision(true, true, "serves") { Gate = new ClickModelGateRecord(40, new(1, 1, 0, 0, 0), new(1, 1, 0, 0, 0), true) };
        RetrainEstimates[] retrains = [new(2, Promoted: false, choice, clickModel, LoggedByClickModel: true)];
        // Over HTTP the lists carry no candidates: explore=0's truth cannot be told.
        SimulatedList[] overHttp = [.. Lists.Select(l => l with { Candidates = [], CandidateProbabilities = [] })];

        var comparison = Assert.Single(NextPeriodCheck.Compare(retrains, overHttp, Options, new ServingOptions()));

        Assert.Equal((0.1, 0.27), (comparison.Rate, comparison.EstimateAtRate));
        Assert.Null(comparison.GateEstimate);
        Assert.Null(comparison.TruthAtZero);
        Assert.Null(comparison.EstimateAtZero);
    }

    private static RateEvidence Evidence(double rate, double value) => new(rate, value, value, 0, 0.01, 500);
}
