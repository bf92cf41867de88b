using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// The next-period check of <c>reco simulate</c> and <c>reco simulate-http</c> (<see cref="NextPeriodCheck"/>): at each
/// retrain of the judged policy's loop, the version record's off-policy estimates against what the next period earned.
/// </summary>
internal static class NextPeriodTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(NextPeriodSummary? summary, TextWriter output)
    {
        if (summary is null)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Off-policy, the next period: at each retrain of the default's loop, the version record's estimate (from the lists the serving version logged)");
        output.WriteLine("against what the next period then earned (expected clicks per slot the policy decided); mean ± 95% t-interval over seeds");
        output.WriteLine("| policy estimated | the record's estimate | estimated | next period | gap | retrains |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in Rows(summary))
        {
            output.WriteLine(row.Figure is not { } figure
                ? $"| {row.What} | {row.Source} | – | not measured{(row.NeedsCandidates ? " (its truth needs the candidates, which only the in-process run sees)" : string.Empty)} | – | 0 |"
                : $"| {row.What} | {row.Source} | {figure.Estimate.ToString("0.0000", C)} | {figure.Truth.ToString("0.0000", C)} | {SimulationTargets.Signed(figure.Gap)} | {figure.Retrains} |");
        }
    }

    /// <summary>The gaps the target judges: the click model's policy, exploring and not, one per figure measured.</summary>
    public static IReadOnlyList<OffPolicyGap> Gaps(NextPeriodSummary? summary) => summary is null ? []
        : [.. Rows(summary).Where(r => r.Judged && r.Figure is not null).Select(r => new OffPolicyGap($"what the next period earned, {r.What}", r.Figure!.Gap))];

    private sealed record Row(string What, string Source, NextPeriodFigure? Figure, bool NeedsCandidates, bool Judged);

    private static IEnumerable<Row> Rows(NextPeriodSummary s) =>
    [
        new("the served rate (the click model's ranking, exploring)", "explorationRate, SNIPS at that rate", s.AtRate, NeedsCandidates: false, Judged: true),
        new("explore=0 (the click model's ranking alone)", "explorationRate.exploitation, SNIPS", s.AtZero, NeedsCandidates: true, Judged: true),
        new("the served rate, every retrain (also after lists no click model ranked yet)", "explorationRate, SNIPS at that rate", s.AtRateEveryRetrain, NeedsCandidates: false, Judged: false),
        new("the new click model's ranking, explore=0", "clickModel.gate, SNIPS per judged slot (its top half of each held-out list)", s.Gate, NeedsCandidates: true, Judged: false),
    ];
}
