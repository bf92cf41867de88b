using ServerlessReco.Core.Evaluation;

namespace ServerlessReco.Core.Tests.Evaluation;

public class RankingMetricsTests
{
    private static readonly int[] Ranked = [1, 2, 3, 4, 5];
    private static readonly HashSet<int> Relevant = [1, 3, 9];

    [Fact]
    public void PrecisionDividesHitsByK() => Assert.Equal(2 / 5.0, RankingMetrics.Precision(Ranked, Relevant, 5));

    [Fact]
    public void PrecisionDividesByKEvenWhenTheListIsShorter() => Assert.Equal(2 / 10.0, RankingMetrics.Precision(Ranked, Relevant, 10));

    [Fact]
    public void RecallDividesHitsByRelevantCount() => Assert.Equal(2 / 3.0, RankingMetrics.Recall(Ranked, Relevant, 5));

    [Fact]
    public void NdcgUsesBinaryGainsAndLog2Discounts()
    {
        var dcg = 1 + (1 / Math.Log2(4));
        var ideal = 1 + (1 / Math.Log2(3)) + (1 / Math.Log2(4));
        Assert.Equal(dcg / ideal, RankingMetrics.Ndcg(Ranked, Relevant, 5), 12);
    }

    [Fact]
    public void AveragePrecisionDividesByAllRelevantItems() =>
        Assert.Equal((1 + (2 / 3.0)) / 3, RankingMetrics.AveragePrecision(Ranked, Relevant, 5), 12);

    [Fact]
    public void EvaluateSkipsUsersWithoutRecommendationsOrTruth()
    {
        var recs = new Dictionary<string, IReadOnlyList<int>> { ["a"] = Ranked, ["b"] = [7], ["c"] = [] };
        var truth = new Dictionary<string, IReadOnlySet<int>> { ["a"] = Relevant, ["c"] = new HashSet<int> { 1 } };
        var report = RankingMetrics.Evaluate(recs, truth, 5);
        Assert.Equal(1, report.Users);
        Assert.Equal(0.4, report.Precision, 12);
    }

    [Fact]
    public void CoverageCountsDistinctRecommendedItems() =>
        Assert.Equal(0.5, BeyondAccuracyMetrics.CatalogCoverage(new[] { new[] { 1, 2 }, new[] { 2, 3 } }, 6));

    [Fact]
    public void DiversityIsShareOfPairsFromDifferentCategories()
    {
        var category = new Dictionary<int, string?> { [1] = "a", [2] = "a", [3] = "b" };
        Assert.Equal(2 / 3.0, BeyondAccuracyMetrics.IntraListDiversity(new[] { new[] { 1, 2, 3 } }, i => category[i]), 12);
    }

    [Fact]
    public void WithOneCategoryPerItemBothDiversitiesAgreeAndAnUncategorisedItemResemblesNothing()
    {
        string?[] category = ["a", "a", "b", null, null];
        int[][] lists = [[0, 1, 2], [3, 4], [0, 1], [2]]; // a list of one item has no pair and counts for nothing

        var bySingle = BeyondAccuracyMetrics.IntraListDiversity(lists, i => category[i]);

        Assert.Equal((2 / 3.0 + 1 + 0) / 3, bySingle, 12);
        Assert.Equal(bySingle, BeyondAccuracyMetrics.IntraListDiversity(lists, Core.Diversity.ItemCategories.FromSingle(category)), 12);
        Assert.Equal(0, BeyondAccuracyMetrics.IntraListDiversity(new[] { new[] { 2 } }, i => category[i]));
    }

    [Fact]
    public void NoveltyIsMeanSelfInformation() =>
        Assert.Equal(1.5, BeyondAccuracyMetrics.Novelty(new[] { new[] { 1, 2 } }, i => i == 1 ? 4 : 2, 8), 12);

    [Fact]
    public void PopularityLiftComparesRecommendedWithConsumedPopularity() =>
        Assert.Equal(2.0, BeyondAccuracyMetrics.PopularityLift(new[] { new[] { 1, 2 } }, i => i == 1 ? 4 : 2, 1.5), 12);
}
