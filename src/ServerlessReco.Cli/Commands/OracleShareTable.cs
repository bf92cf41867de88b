using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// Issue 22's figures, printed alike in process and over HTTP: every policy's expected clicks (the true click
/// probabilities of what it showed, summed: far less noisy than the clicks drawn from them) as a share of the oracle
/// arm's in the same shop, against the baseline (the first policy, explore=0), the distinct items shown, and the targets.
/// </summary>
internal static class OracleShareTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Hand-built world: the default's expected clicks against explore=0's, and its distinct items shown.</summary>
    public const double ExpectedClickTarget = 1.3;

    public const double DistinctTarget = 1.5;

    public static void Write(MultiSeedStudyResult study, string baselineName, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(output);
        if (study.Oracle is not { } oracle)
        {
            return;
        }

        output.WriteLine(string.Create(C,
            $"Expected clicks (true click probabilities of every slot shown, summed) against the oracle arm (each shopper shown their true best {study.Options.ListSize}, never shown to the product); mean ± 95% t-interval over {study.Seeds.Count} seeds, ratios paired within a seed"));
        output.WriteLine($"| policy | expected clicks | share of the oracle's | × {baselineName} | distinct items shown | × {baselineName} |");
        output.WriteLine("|---|---|---|---|---|---|");
        output.WriteLine($"| oracle | {oracle.ExpectedClicks.ToString("0", C)} | 100% | – | {oracle.DistinctShown.ToString("0", C)} | – |");
        foreach (var p in study.Policies)
        {
            output.WriteLine(
                $"| {p.Policy} | {p.ExpectedClicks.ToString("0", C)} | {Percent(p.OracleShare)} | {p.ExpectedRatio.ToString("0.000", C)} | {p.DistinctShown.ToString("0", C)} | {p.DistinctRatio.ToString("0.00", C)} |");
        }

        WriteTargets(study, baselineName, output);
        output.WriteLine();
    }

    private static void WriteTargets(MultiSeedStudyResult study, string baselineName, TextWriter output)
    {
        foreach (var p in study.Policies.Skip(1))
        {
            if (study.World == ShopWorlds.HandBuilt)
            {
                output.WriteLine(string.Create(C,
                    $"target: {p.Policy} earns ≥ {ExpectedClickTarget:0.00}× the expected clicks of {baselineName}: {p.ExpectedRatio.ToString("0.000", C)}× — {Verdict(AsPrinted(p.ExpectedRatio.Mean, 3) >= ExpectedClickTarget)}"));
                output.WriteLine(string.Create(C,
                    $"target: {p.Policy} shows ≥ {DistinctTarget:0.0}× the distinct items of {baselineName}: {p.DistinctRatio.ToString("0.00", C)}× — {Verdict(AsPrinted(p.DistinctRatio.Mean, 2) >= DistinctTarget)}"));
            }
            else
            {
                // Not below: the ratio's interval reaches 1 (with one seed, no interval: the mean itself).
                var high = double.IsNaN(p.ExpectedRatio.HalfWidth) ? p.ExpectedRatio.Mean : p.ExpectedRatio.High;
                output.WriteLine(string.Create(C,
                    $"target: {p.Policy} earns no fewer expected clicks than {baselineName} within the interval: {p.ExpectedRatio.ToString("0.000", C)}× — {Verdict(high >= 1)}"));
            }
        }
    }

    private static string Percent(SeedInterval share) =>
        double.IsNaN(share.HalfWidth) ? share.Mean.ToString("0.0%", C) : $"{share.Mean.ToString("0.0%", C)} ± {share.HalfWidth.ToString("0.0%", C)}";

    /// <summary>A target is judged on the figure as printed: a mean of 1.2999999 printed as 1.300 meets 1.3.</summary>
    private static double AsPrinted(double value, int decimals) => Math.Round(value, decimals);

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
