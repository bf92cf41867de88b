using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
namespace ServerlessReco.Lab.Benchmarks;

/// <summary>One re-ranking setting measured: accuracy beside coverage, diversity and novelty.</summary>
public sealed record DiversityRow(
    string Setting,
    DiversityOptions Options,
    EvaluationResult Result,
    double IntraListDiversity,
    double TopCategoryShare,
    double RerankMicrosecondsPerUser);

/// <summary>
/// What the diversity knobs cost and buy on MovieLens-100k: a model's best <c>candidates</c> items per test user
/// (scored once) re-ranked to top-k under each setting, genres as categories, on the benchmark's split.
/// </summary>
public static class DiversityBenchmark
{
    /// <summary>The sweep the benchmark prints: each knob alone at a few strengths, then one combination.</summary>
    public static IReadOnlyList<DiversityOptions> Sweep { get; } =
    [
        new(),
        new() { MmrLambda = 0.9 },
        new() { MmrLambda = 0.7 },
        new() { MmrLambda = 0.5 },
        new() { MaxCategoryShare = 0.5 },
        new() { MaxCategoryShare = 0.3 },
        new() { PopularityPenalty = 0.1 },
        new() { PopularityPenalty = 0.3 },
        new() { PopularityPenalty = 0.5 },
        new() { PopularityPenalty = 1.0 },
        new() { MmrLambda = 0.9, MaxCategoryShare = 0.5, PopularityPenalty = 0.5 },
        new() { MmrLambda = 0.7, MaxCategoryShare = 0.3, PopularityPenalty = 0.5 },
    ];

    /// <summary>The genres of each item of <paramref name="train"/> (by item index) from the MovieLens catalogue; unknown items have none.</summary>
    public static ItemCategories Genres(InteractionMatrix train, IEnumerable<CatalogItem> catalog)
    {
        var byId = catalog.ToDictionary(c => c.ItemId, c => c.Tags, StringComparer.Ordinal);
        var sets = new IEnumerable<string>?[train.ItemCount];
        for (var item = 0; item < sets.Length; item++)
        {
            sets[item] = byId.GetValueOrDefault(train.Items[item]);
        }

        return ItemCategories.FromSets(sets);
    }

    public static List<DiversityRow> Run(
        IItemScorer model,
        InteractionMatrix train,
        IReadOnlyDictionary<string, IReadOnlySet<string>> test,
        ItemCategories categories,
        IEnumerable<DiversityOptions> settings,
        int k = 10)
    {
        var rows = new List<DiversityRow>();
        var users = test.Keys.Select(id => train.Users.TryGetIndex(id, out var u) ? u : -1).Where(u => u >= 0).ToList();
        var candidatesByCount = new Dictionary<int, Dictionary<int, (int[] Items, double[] Scores)>>();
        foreach (var options in settings)
        {
            if (!candidatesByCount.TryGetValue(options.Candidates, out var candidates))
            {
                candidatesByCount[options.Candidates] = candidates = OfflineEvaluation.CandidatesOfTrainingUsers(model, train, users, options.Candidates);
            }

            var reranker = new DiversityReranker(options);
            Rerank(reranker, candidates, categories, train.ItemUserCounts, k); // warms the code up before it is timed
            var clock = Stopwatch.StartNew();
            var lists = Rerank(reranker, candidates, categories, train.ItemUserCounts, k);
            var microseconds = users.Count == 0 ? 0 : clock.Elapsed.TotalSeconds * 1e6 / users.Count;

            var name = options.IsOff ? $"{model.Name}, top {k} of {options.Candidates}" : $"{model.Name} + {options}";
            var indexLists = lists.Values.Select(l => (IReadOnlyList<int>)l).ToList();
            rows.Add(new DiversityRow(
                name,
                options,
                OfflineEvaluation.Summarise(name, train, lists, test, k, microseconds),
                BeyondAccuracyMetrics.IntraListDiversity(indexLists, categories),
                indexLists.Count == 0 ? 0 : indexLists.Average(l => BeyondAccuracyMetrics.TopCategoryShare(l, categories)),
                microseconds));
        }

        return rows;
    }

    public static string ToMarkdown(IEnumerable<DiversityRow> rows, string command)
    {
        var text = new StringBuilder();
        text.AppendLine("| re-ranking | MAP | nDCG@10 | P@10 | R@10 | coverage | diversity (ILD) | novelty | pop. lift | top genre share | re-rank µs/user |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var r = row.Result;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Setting} | {r.Accuracy.Map:F6} | {r.Accuracy.Ndcg:F6} | {r.Accuracy.Precision:F6} | {r.Accuracy.Recall:F6} | {r.Coverage:F4} | {row.IntraListDiversity:F4} | {r.Novelty:F2} | {r.PopularityLift:F2} | {row.TopCategoryShare:F3} | {row.RerankMicrosecondsPerUser:F1} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Produced by `{command}` on {Environment.ProcessorCount} cores. ");
        text.AppendLine("Diversity (ILD): mean 1 − Jaccard overlap of the genres of each pair in a list. Top genre share: the largest share of a list one genre takes, averaged over lists. Re-rank µs/user: the re-ranking alone, in parallel, wall time / users.");
        return text.ToString();
    }

    private static Dictionary<int, int[]> Rerank(DiversityReranker reranker, Dictionary<int, (int[] Items, double[] Scores)> candidates, ItemCategories categories, int[] popularity, int k)
    {
        var lists = new ConcurrentDictionary<int, int[]>();
        Parallel.ForEach(candidates, pair => lists[pair.Key] = reranker.Rerank(pair.Value.Items, pair.Value.Scores, categories, popularity, k));
        return new Dictionary<int, int[]>(lists);
    }
}
