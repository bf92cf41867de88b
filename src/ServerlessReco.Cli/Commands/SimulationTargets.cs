using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>An off-policy estimate's relative gap to the value it estimates, over seeds, and what it was compared with.</summary>
internal sealed record OffPolicyGap(string Against, SeedInterval Gap);

/// <summary>
/// The targets <c>reco simulate</c> and <c>reco simulate-http</c> judge, printed once at the end of a run: issue 22's
/// (the default with the click model against explore=0 without it and against its own explore=0; distinct items; in
/// the MovieLens world not below), the promise that every new item is shown on its first day, and the off-policy
/// estimate within 10% of running its target. A ratio target is judged on the mean as printed; a target that needs an
/// arm the run did not include says so instead of a verdict.
/// </summary>
internal static class SimulationTargets
{
    /// <summary>Hand-built world: the default's expected clicks against explore=0 without the click model, and against its own explore=0.</summary>
    public const double ExpectedClickTarget = 1.3;

    public const double OwnExploreZeroTarget = 1.05;

    /// <summary>Hand-built world: the default's distinct items shown against explore=0 without the click model.</summary>
    public const double DistinctTarget = 1.5;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private const string NotRun = "not measured: this run has no explore=0 without the click model (add exploitation-no-click-model)";

    public static string Verdict(bool met) => met ? "met" : "MISSED";

    public static void Write(MultiSeedStudyResult study, IReadOnlyList<OffPolicyGap> offPolicy, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(offPolicy);
        ArgumentNullException.ThrowIfNull(output);
        if (study.Judged < 0)
        {
            return;
        }

        var p = study.Policies[study.Judged];
        output.WriteLine();
        output.WriteLine($"Targets (issue 22), judged for {p.Policy} over {study.Seeds.Count} seeds; 'explore=0 before' is explore=0 without the click model:");
        if (study.Oracle is not null)
        {
            if (study.World == ShopWorlds.HandBuilt)
            {
                output.WriteLine(Line($"expected clicks ≥ {ExpectedClickTarget:0.00}× explore=0 before's", p.ExpectedRatioToBefore, "0.000", ExpectedClickTarget));
                output.WriteLine(Line($"expected clicks ≥ {OwnExploreZeroTarget:0.00}× its own explore=0's", p.ExpectedRatioToOwnExploreZero, "0.000", OwnExploreZeroTarget));
                output.WriteLine(Line($"distinct items shown ≥ {DistinctTarget:0.0}× explore=0 before's", p.DistinctRatioToBefore, "0.00", DistinctTarget));
            }
            else
            {
                output.WriteLine($"- expected clicks not below explore=0 before's (the interval reaches 1): {NotBelow(p.ExpectedRatioToBefore)}");
            }
        }

        var first = p.FirstShown;
        output.WriteLine(first.Items == 0
            ? "- every new item shown on its first day: no item arrived on a served day"
            : string.Create(C,
                $"- every new item shown on its first day (one day = one round): {first.FirstDayItems} of {first.Items} ({first.FirstDayItems / (double)first.Items:0.0%}) were, {first.Items - first.FirstDayItems} not — {Verdict(first.FirstDayItems == first.Items)}"));
        foreach (var gap in offPolicy)
        {
            output.WriteLine(string.Create(C,
                $"- off-policy estimate within {SimulationStudyResult.OffPolicyTolerance:0%} of {gap.Against}: {Signed(gap.Gap)} — {Verdict(Math.Abs(gap.Gap.Mean) <= SimulationStudyResult.OffPolicyTolerance)}"));
        }
    }

    /// <summary>A signed percentage with its interval; the zero section keeps a tiny negative gap from printing as "-+0.0%".</summary>
    public static string Signed(SeedInterval gap) =>
        double.IsNaN(gap.HalfWidth) ? gap.Mean.ToString("+0.0%;-0.0%;0.0%", C) : $"{gap.Mean.ToString("+0.0%;-0.0%;0.0%", C)} ± {gap.HalfWidth.ToString("0.0%", C)}";

    private static string Line(string what, SeedInterval? ratio, string format, double target) => ratio is not { } r
        ? $"- {what}: {NotRun}"
        : $"- {what}: {r.ToString(format, C)}× — {Verdict(Math.Round(r.Mean, format.Length - 2) >= target)}";

    private static string NotBelow(SeedInterval? ratio)
    {
        if (ratio is not { } r)
        {
            return NotRun;
        }

        // With one seed there is no interval: the mean itself.
        var high = double.IsNaN(r.HalfWidth) ? r.Mean : r.High;
        return $"{r.ToString("0.000", C)}× — {Verdict(high >= 1)}";
    }
}
