using System.Globalization;
using System.Text;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Cli.Commands;

/// <summary>One way of serving the published protocol's lists, its figures, and how many listed items content picked.</summary>
public sealed record ServedProtocolRow(string Setting, double Map, double Ndcg, double Precision, double Recall, int Users, int ContentItems)
{
    /// <summary>nDCG@10 of each exploration seed (one value without exploration).</summary>
    public double[] NdcgBySeed { get; init; } = [];
}

/// <summary>
/// The <c>served</c> section of <c>reco benchmark</c>: EASE on Microsoft Recommenders' protocol, its top 10 for every
/// test user taken through the serving path the HTTP API calls (<see cref="RecommendationService"/>: business rules,
/// exploration, content candidates; new-arrival slots off, as the catalogue has no dates), with and without the content
/// vectors of u.item in the artifact, exploration off and at the default rate (seeded). Content scores only items the model
/// does not know or knows from fewer than 3 shoppers, so it must leave the figures where they are.
/// </summary>
internal static class ServedProtocolSection
{
    private const int K = 10;

    public static async Task<List<ServedProtocolRow>> RunAsync(
        List<RatingRow> train, IReadOnlyDictionary<string, IReadOnlySet<string>> test, IReadOnlyList<CatalogItem> catalogue, string outDir, TextWriter output,
        CancellationToken cancellationToken)
    {
        var artifact = await Trainer.TrainAsync(
            MovieLens.AsEvents(train, cancellationToken), new TrainerOptions { Model = ModelKind.Ease, Data = TrainingOptions.SarBenchmark }, null, cancellationToken);
        var content = await ServeBenchmarkContent.EmbedAsync(catalogue, outDir, output, cancellationToken)
            ?? throw new InvalidOperationException("No item of u.item has a text to embed.");
        var withContent = ServeBenchmarkContent.With(artifact, content);
        var now = artifact.Manifest.Data!.DecayNow!.Value;
        // Each user's training ratings oldest first (a stable sort: file order breaks ties at the same second), as served.
        var histories = train.GroupBy(r => r.User.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Core.Events.BehaviorEvent>)[.. g.Select(r => r.ToEvent()).OrderBy(e => e.Timestamp)], StringComparer.Ordinal);
        output.WriteLine($"served: EASE over {artifact.Model.Items.Count:N0} items, content vectors for {content.Items.Count:N0}, {ServeBenchmarkContent.ColdItems(artifact, catalogue, content):N0} scored by content only");

        var rows = new List<ServedProtocolRow>();
        foreach (var explore in new[] { 0, new ServingOptions().Explore })
        {
            foreach (var (model, name) in new[] { (artifact, "without content"), (withContent, "with content") })
            {
                // Exploration draws at random: the mean of five seeded runs; without exploration the list is deterministic.
                var runs = new List<ServedProtocolRow>();
                foreach (var seed in explore > 0 ? ExplorationSeeds : [1])
                {
                    var options = new ServingOptions { Explore = explore, NewArrivalSlots = 0, LogServedLists = false, ExplorationSeed = seed };
                    runs.Add(Score(await ServeBenchmarkCommand.ServiceAsync(model, catalogue, [], now, options), histories, test));
                }

                var row = new ServedProtocolRow(
                    explore > 0 ? $"explore {explore}, {name} (mean of {runs.Count} seeds)" : $"explore 0, {name}",
                    runs.Average(r => r.Map), runs.Average(r => r.Ndcg), runs.Average(r => r.Precision), runs.Average(r => r.Recall), runs[0].Users, (int)runs.Average(r => r.ContentItems))
                {
                    NdcgBySeed = [.. runs.Select(r => r.Ndcg)],
                };
                output.WriteLine($"served {row.Setting,-44} MAP {row.Map:F6}  nDCG@10 {row.Ndcg:F6}  P@10 {row.Precision:F6}  R@10 {row.Recall:F6}  content items listed {row.ContentItems}");
                rows.Add(row);
            }
        }

        return rows;
    }

    private static readonly int[] ExplorationSeeds = [1, 2, 3, 4, 5];

    /// <summary>Every test user's served top 10 scored on their held-out items.</summary>
    private static ServedProtocolRow Score(
        RecommendationService service, Dictionary<string, IReadOnlyList<Core.Events.BehaviorEvent>> histories, IReadOnlyDictionary<string, IReadOnlySet<string>> test)
    {
        var lists = test.Keys.Where(histories.ContainsKey).ToDictionary(
            user => user, user => service.Recommend(new RecommendationRequest(user, K), histories[user]).Items, StringComparer.Ordinal);
        var accuracy = RankingMetrics.Evaluate(lists.ToDictionary(l => l.Key, l => (IReadOnlyList<string>)[.. l.Value.Select(i => i.ItemId)]), test, K);
        var shown = lists.Values.Sum(l => l.Count(i => i.ReasonKind == ReasonKind.Content));
        return new ServedProtocolRow("", accuracy.Map, accuracy.Ndcg, accuracy.Precision, accuracy.Recall, accuracy.Users, shown);
    }

    public static string ToMarkdown(IReadOnlyList<ServedProtocolRow> rows)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("| serving path | MAP | nDCG@10 | P@10 | R@10 | users | content items listed | nDCG@10 per seed |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(c, $"| {r.Setting} | {r.Map:F6} | {r.Ndcg:F6} | {r.Precision:F6} | {r.Recall:F6} | {r.Users} | {r.ContentItems} | {string.Join(" ", r.NdcgBySeed.Select(n => n.ToString("F4", c)))} |");
        }

        return text.ToString();
    }
}
