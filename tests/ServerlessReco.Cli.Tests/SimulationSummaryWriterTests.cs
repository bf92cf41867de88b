using ServerlessReco.Cli.Commands;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Tests;

public class SimulationSummaryWriterTests
{
    [Fact]
    public void TheSummaryShowsIntervalsRatiosNewItemWaitsAndTheTargets()
    {
        var study = new MultiSeedStudyResult("test", [Seed(1, 100, 120, 0.0200), Seed(2, 10, 14, 0.0202)]);
        using var writer = new StringWriter();

        SimulationSummaryWriter.Write(study, writer);

        var text = writer.ToString();
        Assert.Contains("test world, seeds 1, 2:", text, StringComparison.Ordinal);
        Assert.Contains("| explorer | 67 ± ", text, StringComparison.Ordinal);          // clicks: mean ± interval
        Assert.Contains("| 1.30 ± 1.27 |", text, StringComparison.Ordinal);             // paired ratio: 1.2 and 1.4
        Assert.Contains("| exploitation | 4 | never | – | 0% ± 0% | 100% ± 0% |", text, StringComparison.Ordinal);
        Assert.Contains("| explore 0.0 | 0.020", text, StringComparison.Ordinal);
        Assert.Contains("| 0.0% ± 0.0% |", text, StringComparison.Ordinal);   // IPS is the truth on the logged requests: no sign
        Assert.Contains("| +0.5% ± ", text, StringComparison.Ordinal);        // against the loop: 0% and +1%
        Assert.DoesNotContain("-+", text, StringComparison.Ordinal);
        Assert.Contains("earns ≥ 1.10× the clicks of explore=0: 1.30 ± 1.27× — met", text, StringComparison.Ordinal);
        Assert.Contains("shows every new item on its first day (one day = one round): 50% ± 0% were — MISSED", text, StringComparison.Ordinal);
        // Expected clicks against the oracle arm (4 × the exploitation's clicks in each seed): 120/400 and 14/40.
        Assert.Contains("| oracle | 220 ± ", text, StringComparison.Ordinal);
        Assert.Contains("| explorer | 67 ± 673 | 32.5% ± 31.8% | 1.300 ± 1.271 |", text, StringComparison.Ordinal);
        Assert.Contains("target: explorer earns no fewer expected clicks than explore=0 within the interval: 1.300 ± 1.271× — met", text, StringComparison.Ordinal);
    }

    private static SimulationStudyResult Seed(int seed, double exploitationClicks, double explorerClicks, double ips)
    {
        var oracle = new OracleArmResult(4 * exploitationClicks, [4 * exploitationClicks], exploitationClicks, 50);
        var estimate = new RateEstimate(0, new(ips, 0.001, 100, 100), new(ips, 0.001, 100, 100));
        return new SimulationStudyResult(
            new ServingSimulationOptions { Seed = seed },
            [Run("exploitation", exploitationClicks, [New(null), New(null)], oracle), Run("explorer", explorerClicks, [New(0), New(3)], oracle)],
            [new OffPolicyComparison(0, estimate, ips, 0.0200)]);
    }

    private static ServingSimulationRun Run(string policy, double clicks, NewItemExposure[] newItems, OracleArmResult oracle) =>
        new(new SimulationResult(policy, clicks, clicks, 2 * clicks, clicks, 0.5, 0.5, [clicks]) { DistinctShownByRound = [clicks], NewItems = newItems, Oracle = oracle }, 1, 1, 100, [], TimeSpan.Zero);

    private static NewItemExposure New(double? days) => new("item", 8, days, null);
}
