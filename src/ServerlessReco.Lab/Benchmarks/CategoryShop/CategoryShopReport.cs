using System.Globalization;
using System.Text;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>One method over the seeds: its nDCG@20 and HitRate@20 (mean and 95 % t-interval over seeds), and the product's paired lead over it.</summary>
public sealed record CategoryShopRow(string Method, SeedInterval Ndcg, SeedInterval HitRate, SeedInterval ProductLead, int SeedsProductAhead);

/// <summary>The category-shop check over several seeds (independent shops of the same kind), each seed's detail kept.</summary>
public sealed record CategoryShopReport(CategoryShopOptions Options, IReadOnlyList<CategoryShopSeed> Seeds)
{
    /// <summary>Every method's row: the product first, then the baselines.</summary>
    public IReadOnlyList<CategoryShopRow> Rows =>
    [
        .. Seeds[0].Methods.Select(m => m.Method).Select(method =>
        {
            var scores = Seeds.Select(s => s.Methods.Single(x => x.Method == method)).ToList();
            var leads = Seeds.Select((s, i) => PairedDifference.Between(s.ProductScores.Ndcg, scores[i].Ndcg).Mean).ToList();
            return new CategoryShopRow(
                method, SeedInterval.Of([.. scores.Select(x => x.MeanNdcg)]), SeedInterval.Of([.. scores.Select(x => x.MeanHitRate)]),
                SeedInterval.Of(leads), leads.Count(l => l > 0));
        }),
    ];

    /// <summary>The product's paired lead in nDCG@20 over each seed's best baseline, with that seed's 95 % interval over shoppers.</summary>
    public IReadOnlyList<(int Seed, string Baseline, PairedDifference Lead)> LeadOverBest =>
        [.. Seeds.Select(s => (s.Seed, s.BestBaseline.Method, PairedDifference.Between(s.ProductScores.Ndcg, s.BestBaseline.Ndcg)))];

    /// <summary>The product's paired lead in nDCG@20 over each seed's best baseline, as an interval over the seeds.</summary>
    public SeedInterval LeadOverBestOverSeeds => SeedInterval.Of([.. LeadOverBest.Select(l => l.Lead.Mean)]);

    /// <summary>Issue 21's checks: the first model served on every seed, no list was empty, and the lists are not below the best baseline beyond noise.</summary>
    public IReadOnlyList<(string Check, bool Passed, string Detail)> Checks =>
    [
        ("first model served", Seeds.All(s => s.Version?.Current == true), $"on {Seeds.Count(s => s.Version?.Current == true)} of {Seeds.Count} seeds"),
        ("no list empty", Seeds.All(s => s.EmptyLists == 0), $"{Seeds.Sum(s => s.EmptyLists):N0} empty of {Seeds.Sum(s => s.Shoppers):N0} lists"),
        ("not below the best baseline", !(LeadOverBestOverSeeds.High < 0), $"lead over each seed's best baseline {Signed(LeadOverBestOverSeeds.Mean)} ± {LeadOverBestOverSeeds.HalfWidth.ToString("0.0000", CultureInfo.InvariantCulture)} nDCG@20 (95 % over seeds)"),
    ];

    private static string Signed(double value) => value.ToString("+0.0000;−0.0000", CultureInfo.InvariantCulture);

    public string ToMarkdown(string command)
    {
        var c = CultureInfo.InvariantCulture;
        var o = Options;
        var text = new StringBuilder();
        text.AppendLine(c, $"`{command}`: {o.Shoppers:N0} shoppers, {o.Items:N0} items in {o.Categories:N0} categories, about {o.Events:N0} events over {o.Window.TotalHours:0.#} hours, {o.Returning:N0} coming back; seeds {string.Join(", ", Seeds.Select(s => s.Seed))}.");
        text.AppendLine();
        text.AppendLine("| method | nDCG@20 | HitRate@20 | ServerlessReco − method, nDCG@20 (paired) | seeds ServerlessReco ahead |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var r in Rows)
        {
            var lead = r.Method == CategoryShopSeed.Product ? "" : r.ProductLead.ToString("F4", c);
            var ahead = r.Method == CategoryShopSeed.Product ? "" : $"{r.SeedsProductAhead} of {Seeds.Count}";
            text.AppendLine(c, $"| {r.Method} | {r.Ndcg.ToString("F4", c)} | {r.HitRate.ToString("F4", c)} | {lead} | {ahead} |");
        }

        text.AppendLine();
        foreach (var (check, passed, detail) in Checks)
        {
            text.AppendLine(c, $"- {check}: {(passed ? "yes" : "NO")}, {detail}");
        }

        text.AppendLine();
        text.AppendLine("Intervals: 95 % t-intervals over the seeds (each seed an independent shop). Per seed, the paired lead over that seed's best baseline with its 95 % interval over shoppers (1.96 standard errors):");
        text.AppendLine();
        text.AppendLine("| seed | shoppers scored | lists by source | empty lists | slots by reason | slots on items already touched | model version | content | retrain | lead over the best baseline |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (s, best) in Seeds.Zip(LeadOverBest))
        {
            var sources = string.Join(", ", s.ListsBySource.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"));
            var reasons = string.Join(", ", s.SlotsByReason.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"));
            var version = s.Version is { } v ? $"{v.ModelKind}, {(v.Current ? "serves" : "kept out")}: {v.GateReason}" : "none";
            var content = s.Version?.ContentUsed is { } used ? (used ? "used" : $"not used: {s.Version.ContentReason}") : "off";
            text.AppendLine(c, $"| {s.Seed} | {s.Shoppers:N0} | {sources} | {s.EmptyLists} | {reasons} | {s.SeenSlots:N0} | {version} | {content} | {s.RetrainSeconds:F0} s | {best.Baseline}: {best.Lead.Mean:+0.0000;−0.0000} [{best.Lead.Lower(1.96):+0.0000;−0.0000}, {best.Lead.Upper(1.96):+0.0000;−0.0000}] |");
        }

        return text.ToString();
    }
}
