using System.Globalization;
using System.Text;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>One row of the next-item table: ours (measured here, settings chosen on validation) or measured elsewhere.</summary>
public sealed record NextItemRow
{
    public required string Model { get; init; }
    public required string Source { get; init; }
    public string? Settings { get; init; }
    public double? ValidationNdcg { get; init; }
    public double Ndcg { get; init; }
    public double? HitRate { get; init; }
    public double? StandardError { get; init; }
    public PairedDifference? VersusRecencyEase { get; init; }
    public double? TrainingSeconds { get; init; }
}

/// <summary>The order control: the sequence model and recency-weighted EASE with each user's training order shuffled.</summary>
public sealed record ShuffleCheck(double SequenceNdcg, double RecencyEaseNdcg, double LeadInOrder, double LeadShuffled);

/// <summary>The whole next-item benchmark: rows, the shuffle control, and how it prints.</summary>
public sealed record NextItemReport(IReadOnlyList<NextItemRow> Rows, ShuffleCheck Shuffle)
{
    /// <summary>Figures measured outside this repository on the same protocol (issue 12), quoted for comparison.</summary>
    public static IReadOnlyList<NextItemRow> MeasuredElsewhere { get; } =
    [
        new() { Model = "popularity", Source = "measured elsewhere", Ndcg = 0.0450 },
        new() { Model = "EASE (λ 100)", Source = "measured elsewhere", Ndcg = 0.0723 },
        new() { Model = "recency-weighted EASE", Source = "measured elsewhere", Ndcg = 0.0959 },
        new() { Model = "SASRec, length 50 (TorchSharp, 3.5–10 min on 2 cores)", Source = "measured elsewhere", Ndcg = 0.1001 },
        new() { Model = "SASRec, length 200", Source = "measured elsewhere", Ndcg = 0.1024 },
    ];

    public string ToMarkdown(string command)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        static string Paired(PairedDifference? d) => d is null ? "–"
            : string.Create(CultureInfo.InvariantCulture, $"{d.Mean:+0.0000;-0.0000} ± {d.StandardError:F4} ({d.Better} better, {d.Worse} worse)");
        var text = new StringBuilder();
        text.AppendLine("| model | source | settings (chosen on validation) | validation nDCG@10 | nDCG@10 | ± s.e. | hit@10 | vs recency-weighted EASE, per user | train s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Rows.Concat(MeasuredElsewhere))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Model} | {r.Source} | {r.Settings ?? "–"} | {F(r.ValidationNdcg, "F4")} | {r.Ndcg:F4} | {F(r.StandardError, "F4")} | {F(r.HitRate, "F4")} | {Paired(r.VersusRecencyEase)} | {F(r.TrainingSeconds, "F2")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Order control (each user's training items shuffled, times kept, the last item left last): sequence model {Shuffle.SequenceNdcg:F4}, recency-weighted EASE {Shuffle.RecencyEaseNdcg:F4}; the sequence model's lead over recency-weighted EASE goes from {Shuffle.LeadInOrder:+0.0000;-0.0000} in order to {Shuffle.LeadShuffled:+0.0000;-0.0000} shuffled.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Produced by `{command}` on {Environment.ProcessorCount} cores. Leave-last-out on MovieLens-100k: each user's ratings ordered by timestamp, ratings at the same second by their order in the file (the later line is newer); the last held out, the second-to-last for choosing settings (trained on all but the last two); every rating is one interaction of weight 1; all items ranked, the user's own removed. Train s: events → matrix → model on all but the last item.");
        return text.ToString();
    }
}
