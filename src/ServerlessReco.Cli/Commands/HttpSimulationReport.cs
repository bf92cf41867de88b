using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>What <c>reco simulate-http</c> prints: per seed the tables of <c>reco simulate</c> and the host's off-policy estimate against the run; then all seeds.</summary>
internal static class HttpSimulationReport
{
    public static void Write(string world, IReadOnlyList<HttpSeedStudy> studies, string baselineName, TextWriter output)
    {
        foreach (var study in studies)
        {
            output.Write($"world {world}, over HTTP; ");
            SimulationTable.WriteShop(study.Options, output, handBuilt: world == ShopWorlds.HandBuilt);
            output.WriteLine();
            SimulationTable.WritePolicies(study.Runs, study.Runs[0], baselineName, output);
            output.WriteLine();
            if (study.OffPolicy is { } offPolicy)
            {
                WriteOffPolicy(offPolicy, output);
            }
        }

        var overSeeds = Study(world, studies);
        OracleShareTable.Write(overSeeds, output);
        if (studies.Count > 1)
        {
            output.WriteLine($"All {studies.Count} seeds: clicks, regret and retrains summed, coverage and Gini averaged");
            var summed = Enumerable.Range(0, studies[0].Runs.Count).Select(i => Sum(studies.Select(s => s.Runs[i]).ToList())).ToList();
            SimulationTable.WritePolicies(summed, summed[0], baselineName, output);
            output.WriteLine();
            WriteIntervals(studies, baselineName, output);
        }

        var nextPeriod = overSeeds.NextPeriod;
        NextPeriodTable.Write(nextPeriod, output);
        var gaps = studies.Select(s => s.OffPolicy?.IpsGap).OfType<double>().ToList();
        SimulationTargets.Write(
            overSeeds,
            [
                .. NextPeriodTable.Gaps(nextPeriod),
                .. gaps.Count == 0 ? [] : new[] { new OffPolicyGap("explore=0 run over HTTP in its own loop (the host's IPS from the default's lists)", SeedInterval.Of(gaps)) },
            ],
            output);
    }

    /// <summary>The runs over HTTP as a study over seeds (no in-process off-policy check): what the oracle table and the charts read.</summary>
    public static MultiSeedStudyResult Study(string world, IReadOnlyList<HttpSeedStudy> studies) =>
        new(world, [.. studies.Select(s => new SimulationStudyResult(s.Options, s.Runs, []) { World = world })]);

    /// <summary>Per policy the ratios to the baseline within each seed, and the off-policy gaps: mean ± 95% t-interval over the seeds.</summary>
    private static void WriteIntervals(IReadOnlyList<HttpSeedStudy> studies, string baselineName, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"Over the {studies.Count} seeds: ratios to {baselineName} within each seed, mean ± 95% t-interval");
        output.WriteLine($"| policy | clicks × {baselineName} | purchases × | distinct items shown × |");
        output.WriteLine("|---|---|---|---|");
        for (var p = 0; p < studies[0].Runs.Count; p++)
        {
            SeedInterval Ratio(Func<SimulationResult, double> figure) => SeedInterval.Of(
                [.. studies.Select(s => figure(s.Runs[p].Result) / Math.Max(1e-12, figure(s.Runs[0].Result)))]);
            output.WriteLine(string.Create(c,
                $"| {studies[0].Runs[p].Result.Policy} | {Ratio(r => r.CumulativeReward).ToString("0.00", c)} | {Ratio(r => r.Purchases).ToString("0.00", c)} | {Ratio(r => r.DistinctShown).ToString("0.00", c)} |"));
        }

        var gaps = studies.Select(s => s.OffPolicy?.IpsGap).OfType<double>().ToList();
        if (gaps.Count > 1)
        {
            var gap = SeedInterval.Of(gaps);
            output.WriteLine(string.Create(c,
                $"off-policy: the host's IPS of explore=0 against running it, {gap.Mean:+0.0%;-0.0%} ± {gap.HalfWidth:0.0%} over {gaps.Count} seeds"));
        }

        output.WriteLine();
    }

    private static void WriteOffPolicy(HttpOffPolicy offPolicy, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var e = offPolicy.Estimate;
        output.WriteLine("Off-policy: clicks per slot of explore=0, estimated by the host (GET /api/manage/exploration) from the default's lists, against running it");
        output.WriteLine("| target | IPS (± s.e.) | SNIPS | run over HTTP | IPS gap |");
        output.WriteLine("|---|---|---|---|---|");
        var run = offPolicy.TargetValue is { } target ? target.ToString("0.0000", c) : "not run";
        var gap = offPolicy.IpsGap is { } g ? g.ToString("+0.0%;-0.0%", c) : "–";
        output.WriteLine(string.Create(c, $"| explore {e.Explore:0.0#} | {e.Ips.Value:0.0000} ± {e.Ips.StandardError:0.0000} | {e.SelfNormalisedIps.Value:0.0000} | {run} | {gap} |"));
        if (offPolicy.IpsGap is null && offPolicy.Target is not null)
        {
            output.WriteLine("(no gap to tell: the explore=0 run earned no click at the places compared)");
        }

        output.WriteLine();
    }

    private static ServingSimulationRun Sum(IReadOnlyList<ServingSimulationRun> runs)
    {
        var r = runs.Select(x => x.Result).ToList();
        var result = new SimulationResult(
            r[0].Policy, r.Sum(x => x.CumulativeReward), r.Sum(x => x.ExpectedReward), r.Sum(x => x.OracleReward), r.Sum(x => x.Regret),
            r.Average(x => x.Coverage), r.Average(x => x.ExposureGini), []);
        return new ServingSimulationRun(
            result, runs.Sum(x => x.Retrains), runs.Sum(x => x.Promotions), runs.Sum(x => x.ServedSlots), [], TimeSpan.FromTicks(runs.Sum(x => x.Elapsed.Ticks)));
    }
}
