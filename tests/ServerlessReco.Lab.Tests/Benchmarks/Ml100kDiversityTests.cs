using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Tests.Evaluation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;
namespace ServerlessReco.Lab.Tests.Benchmarks;

/// <summary>
/// The trade-offs the benchmark publishes, held on MovieLens-100k (EASE's top 100 re-ranked to 10, genres as
/// categories). Measured: EASE alone nDCG 0.4992, coverage 0.2093, ILD 0.7988, novelty 2.13; see each test.
/// </summary>
public class Ml100kDiversityTests
{
    private static readonly Lazy<(InteractionMatrix Train, EaseModel Model, ItemCategories Genres)> Setup = new(() =>
    {
        var train = Ml100k.RequireSarTrain();
        var folder = Path.GetDirectoryName(MovieLens.FindMl100k(AppContext.BaseDirectory))!;
        var catalog = MovieLens.ReadCatalog(Path.Combine(folder, "u.item"), Path.Combine(folder, "u.genre"));
        return (train, EaseModel.Train(train), DiversityBenchmark.Genres(train, catalog));
    });

    private static readonly Lazy<List<DiversityRow>> Rows = new(() =>
    {
        var (train, model, genres) = Setup.Value;
        return DiversityBenchmark.Run(model, train, Ml100k.RequireTest(), genres, DiversityBenchmark.Sweep);
    });

    [Fact]
    public void OffReRankingGivesEaseAloneToTheLastDecimal()
    {
        Ml100k.RequireSplit();
        var (train, model, _) = Setup.Value;
        var ease = OfflineEvaluation.Evaluate(model, train, Ml100k.RequireTest());
        var off = Row(new DiversityOptions());

        Assert.Equal(ease.Accuracy, off.Result.Accuracy);
        Assert.Equal(ease.Coverage, off.Result.Coverage);
        Assert.Equal(ease.Novelty, off.Result.Novelty);
    }

    [Fact]
    public void MmrSevenTenthsBuysDiversityAndCoverageForUnderThreePercentOfNdcg()
    {
        Ml100k.RequireSplit();
        var off = Row(new DiversityOptions());
        var mmr = Row(new DiversityOptions { MmrLambda = 0.7 });

        // Measured: ILD 0.7988 → 0.8535, coverage 0.2093 → 0.2152, nDCG 0.4992 → 0.4866 (−2.5 %).
        Assert.True(mmr.IntraListDiversity > off.IntraListDiversity + 0.04, $"ILD {off.IntraListDiversity} → {mmr.IntraListDiversity}");
        Assert.True(mmr.Result.Coverage > off.Result.Coverage + 0.003, $"coverage {off.Result.Coverage} → {mmr.Result.Coverage}");
        Assert.InRange(mmr.Result.Accuracy.Ndcg, off.Result.Accuracy.Ndcg * 0.97, off.Result.Accuracy.Ndcg);
        Assert.True(mmr.TopCategoryShare < off.TopCategoryShare - 0.05, $"top genre share {off.TopCategoryShare} → {mmr.TopCategoryShare}");
    }

    [Fact]
    public void GenreCapHoldsOnEveryListUnlessTheCandidatesRunOut()
    {
        Ml100k.RequireSplit();
        var (train, model, genres) = Setup.Value;
        var users = Ml100k.RequireTest().Keys.Select(id => train.Users.TryGetIndex(id, out var u) ? u : -1).Where(u => u >= 0);
        var reranker = new DiversityReranker(new DiversityOptions { MaxCategoryShare = 0.3 });
        const int Cap = 3; // ⌈0.3 × 10⌉

        var held = 0;
        var candidatesByUser = OfflineEvaluation.CandidatesOfTrainingUsers(model, train, users, 100);
        foreach (var (items, scores) in candidatesByUser.Values)
        {
            var list = reranker.Rerank(items, scores, genres, train.ItemUserCounts, 10);
            Assert.Equal(10, list.Length);
            var firstOver = Enumerable.Range(0, list.Length).FirstOrDefault(p => GenreCounts(list[..(p + 1)], genres).Values.Max() > Cap, -1);
            if (firstOver < 0)
            {
                held++;
                continue;
            }

            // Measured: 3 of 943 lists. The item that broke the cap was taken only because every candidate left
            // would have broken it too: the list is filled rather than left short.
            var counts = GenreCounts(list[..firstOver], genres);
            Assert.All(items.Except(list[..firstOver]), c => Assert.Contains(genres.Of(c).ToArray(), g => counts.GetValueOrDefault(g) >= Cap));
        }

        Assert.InRange(held, candidatesByUser.Count - 8, candidatesByUser.Count);
    }

    [Fact]
    public void PopularityPenaltyRaisesNoveltyAndCoverage()
    {
        Ml100k.RequireSplit();
        var off = Row(new DiversityOptions());
        var half = Row(new DiversityOptions { PopularityPenalty = 0.5 });
        var full = Row(new DiversityOptions { PopularityPenalty = 1.0 });

        // Measured at β 0.5: novelty 2.13 → 2.21, coverage 0.2093 → 0.2432, pop. lift 1.85 → 1.77, nDCG 0.4992 → 0.5013.
        Assert.True(half.Result.Novelty > off.Result.Novelty + 0.05, $"novelty {off.Result.Novelty} → {half.Result.Novelty}");
        Assert.True(half.Result.Coverage > off.Result.Coverage + 0.02, $"coverage {off.Result.Coverage} → {half.Result.Coverage}");
        Assert.True(half.Result.PopularityLift < off.Result.PopularityLift - 0.05, $"lift {off.Result.PopularityLift} → {half.Result.PopularityLift}");
        Assert.True(half.Result.Accuracy.Ndcg >= off.Result.Accuracy.Ndcg, $"nDCG {off.Result.Accuracy.Ndcg} → {half.Result.Accuracy.Ndcg}");

        // Measured at β 1: novelty 2.37, coverage 0.3139, nDCG 0.4965: more of the same, at a small accuracy cost.
        Assert.True(full.Result.Novelty > half.Result.Novelty + 0.1, $"novelty {half.Result.Novelty} → {full.Result.Novelty}");
        Assert.True(full.Result.Coverage > 0.3, $"coverage {full.Result.Coverage}");
        Assert.InRange(full.Result.Accuracy.Ndcg, off.Result.Accuracy.Ndcg * 0.98, off.Result.Accuracy.Ndcg);
    }

    private static DiversityRow Row(DiversityOptions options) =>
        Rows.Value.Single(r => r.Options.ToString() == options.ToString());

    private static Dictionary<int, int> GenreCounts(IEnumerable<int> items, ItemCategories genres)
    {
        var counts = new Dictionary<int, int>();
        foreach (var item in items)
        {
            foreach (var genre in genres.Of(item))
            {
                counts[genre] = counts.GetValueOrDefault(genre) + 1;
            }
        }

        return counts;
    }
}
