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
        // The promise is every new item: the figure beside the verdict says how many were (2 of the explorer's 4).
        Assert.Contains("- every new item shown on its first day (one day = one round): 2 of 4 (50.0%) were, 2 not — MISSED", text, StringComparison.Ordinal);
        Assert.Contains("- off-policy estimate within 10% of explore 0.0 run in its own loop: +0.5% ± ", text, StringComparison.Ordinal);
        // Each retrain's recorded estimates against the next period: 0.32 against 0.30 at the served rate, 0.46 against 0.40 at explore=0.
        Assert.Contains("| the served rate (the click model's ranking, exploring) | explorationRate, SNIPS at that rate | 0.3200 ± 0.0000 | 0.3000 ± 0.0000 | +6.7% ± 0.0% | 2 |", text, StringComparison.Ordinal);
        Assert.Contains("- off-policy estimate within 10% of what the next period earned, the served rate (the click model's ranking, exploring): +6.7% ± 0.0% — met", text, StringComparison.Ordinal);
        Assert.Contains("- off-policy estimate within 10% of what the next period earned, explore=0 (the click model's ranking alone): +15.0% ± 0.0% — MISSED", text, StringComparison.Ordinal);
        // Expected clicks against the oracle arm (4 × the exploitation's clicks in each seed): 120/400 and 14/40.
        Assert.Contains("| oracle | – | 220 ± ", text, StringComparison.Ordinal);
        Assert.Contains("| explorer | no | 67 ± 673 | 32.5% ± 31.8% | 1.300 ± 1.271 | 1.300 ± 1.271 |", text, StringComparison.Ordinal);
        Assert.Contains("- expected clicks not below explore=0 before's (the interval reaches 1): 1.300 ± 1.271× — met", text, StringComparison.Ordinal);
        // The targets are printed once, and issue 13's older ones (1.10× clicks, 2× distinct items) no longer.
        Assert.Single(text.Split('\n'), l => l.StartsWith("Targets", StringComparison.Ordinal));
        Assert.DoesNotContain("1.10×", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultWithTheClickModelIsJudgedAgainstExploreZeroWithoutItAndAgainstItsOwn()
    {
        // Per seed: explore=0 before earns 100 expected clicks, explore=0 with the click model 150, the default with it 180
        // (seed 2: 200, 260, 300); distinct items 20, 22, 40 (seed 2: 30, 30, 48).
        var study = new MultiSeedStudyResult(ShopWorlds.HandBuilt, [Arms(1, 100, 150, 180, 20, 22, 40), Arms(2, 200, 260, 300, 30, 30, 48)]);
        using var writer = new StringWriter();

        SimulationSummaryWriter.Write(study, writer);

        var text = writer.ToString();
        // Rows: explore=0 with the click model, its default, then the two without: each against its own explore=0 and the one before.
        Assert.Contains("| default | yes | 240 ± 762 | 31.6% ± 74.9% | 1.177 ± 0.293 | 1.650 ± 1.906 | 44 ± 51 | 1.80 ± 2.54 |", text, StringComparison.Ordinal);
        Assert.Contains("| explore=0 | yes | 205 ± 699 | 27.0% ± 70.3% | 1.000 ± 0.000 | 1.400 ± 1.271 | 26 ± 51 | 1.05 ± 0.64 |", text, StringComparison.Ordinal);
        Assert.Contains("Targets (issue 22), judged for default over 2 seeds", text, StringComparison.Ordinal);
        Assert.Contains("- expected clicks ≥ 1.30× explore=0 before's: 1.650 ± 1.906× — met", text, StringComparison.Ordinal);
        Assert.Contains("- expected clicks ≥ 1.05× its own explore=0's: 1.177 ± 0.293× — met", text, StringComparison.Ordinal);
        Assert.Contains("- distinct items shown ≥ 1.5× explore=0 before's: 1.80 ± 2.54× — met", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnExploreZeroBeforeTheClickModelTheTargetsSaySoInsteadOfAVerdict()
    {
        var study = new MultiSeedStudyResult(ShopWorlds.HandBuilt, [Arms(1, 100, 150, 180, 20, 22, 40, before: false)]);
        using var writer = new StringWriter();

        SimulationSummaryWriter.Write(study, writer);

        var text = writer.ToString();
        Assert.Contains("- expected clicks ≥ 1.30× explore=0 before's: not measured: this run has no explore=0 without the click model", text, StringComparison.Ordinal);
        Assert.Contains("- expected clicks ≥ 1.05× its own explore=0's: 1.200", text, StringComparison.Ordinal);
    }

    private static SimulationStudyResult Arms(int seed, double beforeClicks, double zero, double withModel, double distinctBefore, double distinctZero, double distinct, bool before = true)
    {
        var oracle = new OracleArmResult(600 + (100 * seed), [600 + (100 * seed)], 0, 60);
        ServingSimulationRun Arm(string policy, double expected, double shown, bool exploring, bool clickModel) =>
            Run(policy, expected, [New(0)], oracle) with
            {
                Result = Run(policy, expected, [New(0)], oracle).Result with { DistinctShownByRound = [shown], Exploring = exploring, ClickModel = clickModel },
            };
        ServingSimulationRun[] withClickModel = [Arm("explore=0", zero, distinctZero, false, true), Arm("default", withModel, distinct, true, true)];
        ServingSimulationRun[] runs = before
            ? [.. withClickModel, Arm("explore=0, no click model", beforeClicks, distinctBefore, false, false), Arm("default, no click model", beforeClicks * 1.2, distinct, true, false)]
            : withClickModel;
        return new SimulationStudyResult(new ServingSimulationOptions { Seed = seed }, runs, []) { World = ShopWorlds.HandBuilt };
    }

    private static SimulationStudyResult Seed(int seed, double exploitationClicks, double explorerClicks, double ips)
    {
        var oracle = new OracleArmResult(4 * exploitationClicks, [4 * exploitationClicks], exploitationClicks, 50);
        var estimate = new RateEstimate(0, new(ips, 0.001, 100, 100), new(ips, 0.001, 100, 100));
        return new SimulationStudyResult(
            new ServingSimulationOptions { Seed = seed },
            [Run("exploitation", exploitationClicks, [New(null), New(null)], oracle), Explores(Run("explorer", explorerClicks, [New(0), New(3)], oracle))],
            [new OffPolicyComparison(0, estimate, ips, 0.0200)]);
    }

    private static ServingSimulationRun Run(string policy, double clicks, NewItemExposure[] newItems, OracleArmResult oracle) =>
        new(new SimulationResult(policy, clicks, clicks, 2 * clicks, clicks, 0.5, 0.5, [clicks]) { DistinctShownByRound = [clicks], NewItems = newItems, Oracle = oracle }, 1, 1, 100, [], TimeSpan.Zero);

    private static ServingSimulationRun Explores(ServingSimulationRun run) => run with
    {
        Result = run.Result with { Exploring = true },
        NextPeriod = [new NextPeriodComparison(5, true, 0.1, 0.32, 0.30, 0.46, 0.40, LoggedByClickModel: true, GateEstimate: 0.5)],
    };

    private static NewItemExposure New(double? days) => new("item", 8, days, null);
}
