using ServerlessReco.Cli.Commands;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Tests;

public class HttpSimulationReportTests
{
    [Fact]
    public void OverSeveralSeedsTheReportGivesEachRatioAndTheOffPolicyGapWithItsInterval()
    {
        // Seed 1: the default earns 1.2× the clicks, its IPS of explore=0 says 0.022 where running it gave 0.020 (+10%);
        // seed 2: 1.4×, 0.020 against 0.020 (0%).
        HttpSeedStudy[] studies = [Seed(1, 100, 120, 0.022), Seed(2, 10, 14, 0.020)];
        using var writer = new StringWriter();

        HttpSimulationReport.Write(ShopWorlds.HandBuilt, studies, "exploitation", writer);

        var text = writer.ToString();
        Assert.Contains("Over the 2 seeds: ratios to exploitation within each seed, mean ± 95% t-interval", text, StringComparison.Ordinal);
        Assert.Contains("| explorer | 1.30 ± 1.27 | 1.30 ± 1.27 | 1.30 ± 1.27 |", text, StringComparison.Ordinal);
        Assert.Contains("| exploitation | 1.00 ± 0.00 |", text, StringComparison.Ordinal);
        Assert.Contains("off-policy: the host's IPS of explore=0 against running it, +5.0% ± 63.5% over 2 seeds", text, StringComparison.Ordinal);
        // Over HTTP too, against the simulator's oracle arm (4 × the baseline's clicks): the shares and the hand-built targets.
        Assert.Contains("| exploitation | no | 55 ± 572 | 25.0% ± 0.0% | 1.000 ± 0.000 | 1.000 ± 0.000 |", text, StringComparison.Ordinal);
        Assert.Contains("- expected clicks ≥ 1.30× explore=0 before's: 1.300 ± 1.271× — met", text, StringComparison.Ordinal);
        Assert.Contains("- distinct items shown ≥ 1.5× explore=0 before's: 1.30 ± 1.27× — MISSED", text, StringComparison.Ordinal);
        Assert.Contains("- off-policy estimate within 10% of explore=0 run over HTTP in its own loop (the host's IPS from the default's lists): +5.0% ± 63.5% — met", text, StringComparison.Ordinal);
    }

    private static HttpSeedStudy Seed(int seed, double exploitationClicks, double explorerClicks, double ips)
    {
        var oracle = new OracleArmResult(4 * exploitationClicks, [4 * exploitationClicks], exploitationClicks, 50);
        var target = Run("exploitation", exploitationClicks) with { Result = Run("exploitation", exploitationClicks).Result with { Oracle = oracle } };
        var estimate = new RateEstimate(0, new(ips, 0.001, 100, 100), new(ips, 0.001, 100, 100));
        return new HttpSeedStudy(new ServingSimulationOptions { Seed = seed }, [target, Run("explorer", explorerClicks) with { Result = Run("explorer", explorerClicks).Result with { Oracle = oracle, Exploring = true } }], new HttpOffPolicy(estimate, target));
    }

    // Served slots such that every run earns 0.020 clicks per slot: the explore=0 run's value in both seeds.
    private static ServingSimulationRun Run(string policy, double clicks) =>
        new(new SimulationResult(policy, clicks, clicks, 2 * clicks, clicks, 0.5, 0.5, [clicks]) { Purchases = clicks, DistinctShownByRound = [clicks] },
            1, 1, (int)Math.Round(clicks / 0.020), [], TimeSpan.Zero);
}
