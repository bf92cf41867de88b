using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// Issue 22's figures, printed alike in process and over HTTP: every policy's expected clicks (the true click
/// probabilities of what it showed, summed: far less noisy than the clicks drawn from them) as a share of the oracle
/// arm's in the same shop, against explore=0 of the same product (click model or not) and against explore=0 without
/// the click model (the product before it), with the distinct items shown. The targets are judged once, by
/// <see cref="SimulationTargets"/>.
/// </summary>
internal static class OracleShareTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(MultiSeedStudyResult study, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(output);
        if (study.Oracle is not { } oracle)
        {
            return;
        }

        output.WriteLine(string.Create(C,
            $"Expected clicks (true click probabilities of every slot shown, summed) against the oracle arm (each shopper shown their true best {study.Options.ListSize}, never shown to the product); mean ± 95% t-interval over {study.Seeds.Count} seeds, ratios paired within a seed; 'explore=0 before': explore=0 without the click model"));
        output.WriteLine("| policy | click model | expected clicks | share of the oracle's | × explore=0 of the same product | × explore=0 before | distinct items shown | × explore=0 before |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        output.WriteLine($"| oracle | – | {oracle.ExpectedClicks.ToString("0", C)} | 100% | – | – | {oracle.DistinctShown.ToString("0", C)} | – |");
        foreach (var p in study.Policies)
        {
            output.WriteLine(
                $"| {p.Policy} | {(p.ClickModel ? "yes" : "no")} | {p.ExpectedClicks.ToString("0", C)} | {Percent(p.OracleShare)} | {Ratio(p.ExpectedRatioToOwnExploreZero, "0.000")} | {Ratio(p.ExpectedRatioToBefore, "0.000")} | {p.DistinctShown.ToString("0", C)} | {Ratio(p.DistinctRatioToBefore, "0.00")} |");
        }

        output.WriteLine();
    }

    private static string Ratio(SeedInterval? ratio, string format) => ratio is { } r ? r.ToString(format, C) : "–";

    private static string Percent(SeedInterval share) =>
        double.IsNaN(share.HalfWidth) ? share.Mean.ToString("0.0%", C) : $"{share.Mean.ToString("0.0%", C)} ± {share.HalfWidth.ToString("0.0%", C)}";
}
