using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>The tables <c>reco simulate</c> prints over several seeds: every figure as its mean ± the 95% t-interval over seeds.</summary>
public static class SimulationSummaryWriter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(MultiSeedStudyResult study, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(output);
        var o = study.Options;
        var seeds = string.Join(", ", study.Seeds.Select(s => s.Options.Seed));
        output.WriteLine(string.Create(C,
            $"{study.World} world, seeds {seeds}: {o.Rounds} days × {o.RequestsPerRound} lists of {o.ListSize}, retrain every {o.RetrainEvery} days{SimulationTable.Shift(o)}; mean ± 95% t-interval over {study.Seeds.Count} seeds, ratios paired within a seed"));
        output.WriteLine();
        output.WriteLine("| policy | clicks | × explore=0 | purchases | × explore=0 | regret vs oracle | distinct items shown | × explore=0 | coverage | exposure Gini |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in study.Policies)
        {
            output.WriteLine(
                $"| {p.Policy} | {p.Clicks.ToString("0", C)} | {p.ClickRatio.ToString("0.00", C)} | {p.Purchases.ToString("0", C)} | {p.PurchaseRatio.ToString("0.00", C)} | {p.Regret.ToString("0", C)} | {p.DistinctShown.ToString("0", C)} | {p.DistinctRatio.ToString("0.00", C)} | {p.Coverage.ToString("0.000", C)} | {p.ExposureGini.ToString("0.000", C)} |");
        }

        output.WriteLine();
        OracleShareTable.Write(study, output);
        output.WriteLine("New items (arrived on a served day, pooled over seeds): days until first shown and first clicked; median counts never as latest");
        output.WriteLine("| policy | new items | shown: median days | mean days (if shown) | on arrival day | never shown | clicked: median days | mean days (if clicked) | never clicked |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var p in study.Policies)
        {
            var (s, k) = (p.FirstShown, p.FirstClicked);
            output.WriteLine(
                $"| {p.Policy} | {s.Items} | {Days(s.MedianDays)} | {Days(s.MeanDays)} | {Share(s.FirstDayShare)} | {Share(s.NeverShare)} | {Days(k.MedianDays)} | {Days(k.MeanDays)} | {Share(k.NeverShare)} |");
        }

        WriteOffPolicy(study, output);
        var nextPeriod = study.NextPeriod;
        NextPeriodTable.Write(nextPeriod, output);
        SimulationTargets.Write(
            study,
            [
                .. NextPeriodTable.Gaps(nextPeriod),
                .. study.OffPolicy.Where(e => e.GapToClosedLoop is not null).Select(e => new OffPolicyGap(string.Create(C, $"explore {e.Explore:0.0#} run in its own loop"), e.GapToClosedLoop!.Value)),
            ],
            output);
    }

    private static void WriteOffPolicy(MultiSeedStudyResult study, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Off-policy: clicks per slot of the default policy at other exploration rates, IPS from the default's logged impressions against the truth");
        output.WriteLine("| target | IPS | on the logged requests (truth) | IPS gap | run in the loop | IPS gap |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var e in study.OffPolicy)
        {
            var loop = e.ClosedLoop is { } l ? l.ToString("0.0000", C) : "not run";
            var loopGap = e.GapToClosedLoop is { } g ? Percent(g) : "–";
            output.WriteLine(string.Create(C,
                $"| explore {e.Explore:0.0#} | {e.Ips.ToString("0.0000", C)} | {e.Counterfactual.ToString("0.0000", C)} | {Percent(e.GapToCounterfactual)} | {loop} | {loopGap} |"));
        }
    }

    private static string Days(double days) => double.IsPositiveInfinity(days) ? "never" : double.IsNaN(days) ? "–" : days.ToString("0.0", C);

    /// <summary>A mean wait over seeds; "–" when no seed had any (nothing was ever shown or clicked).</summary>
    private static string Days(SeedInterval days) => double.IsNaN(days.Mean) ? "–" : days.ToString("0.0", C);

    private static string Share(SeedInterval share) => double.IsNaN(share.Mean) ? "–"
        : double.IsNaN(share.HalfWidth) ? share.Mean.ToString("0%", C) : $"{share.Mean.ToString("0%", C)} ± {share.HalfWidth.ToString("0%", C)}";

    private static string Percent(SeedInterval gap) => SimulationTargets.Signed(gap);
}
