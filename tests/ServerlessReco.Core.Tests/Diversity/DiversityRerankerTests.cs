using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Evaluation;

namespace ServerlessReco.Core.Tests.Diversity;

public class DiversityRerankerTests
{
    private static readonly int[] NoPopularity = new int[64];

    [Fact]
    public void OffSettingsReturnExactlyTheRelevanceTopK()
    {
        var random = new Random(7);
        var items = Enumerable.Range(0, 60).OrderBy(_ => random.Next()).ToArray();
        // Coarse scores so that many tie: ties must go to the lower item index, as TopK.Select breaks them.
        var scores = items.Select(_ => Math.Round(random.NextDouble() * 5) / 5).ToArray();
        var categories = ItemCategories.FromSets(Enumerable.Range(0, 60).Select(i => (IEnumerable<string>?)[$"g{i % 3}", $"h{i % 5}"]).ToList());
        var popularity = Enumerable.Range(0, 60).Select(_ => random.Next(1, 500)).ToArray();

        var reranked = new DiversityReranker(new DiversityOptions()).Rerank(items, scores, categories, popularity, 10);

        var expected = items.Zip(scores).OrderByDescending(p => p.Second).ThenBy(p => p.First).Take(10).Select(p => p.First);
        Assert.Equal(expected, reranked);
    }

    [Fact]
    public void CategoryCapHoldsAndKeepsRelevanceOrderWithinIt()
    {
        // Twelve dramas score highest; a cap of 0.3 over ten slots allows three.
        var names = Enumerable.Range(0, 20).Select(i => i < 12 ? "drama" : $"other{i}").ToArray();
        var categories = ItemCategories.FromSingle(names);
        var items = Enumerable.Range(0, 20).ToArray();
        var scores = items.Select(i => 100.0 - i).ToArray();

        var list = new DiversityReranker(new DiversityOptions { MaxCategoryShare = 0.3 }).Rerank(items, scores, categories, NoPopularity, 10);

        Assert.Equal(10, list.Length);
        Assert.Equal([0, 1, 2, 12, 13, 14, 15, 16, 17, 18], list);
    }

    [Fact]
    public void CapThatCannotBeMetStillFillsTheListWithTheBestRemaining()
    {
        var categories = ItemCategories.FromSingle([.. Enumerable.Repeat<string?>("drama", 8), "comedy"]);
        var items = Enumerable.Range(0, 9).ToArray();
        var scores = items.Select(i => 10.0 - i).ToArray();

        var list = new DiversityReranker(new DiversityOptions { MaxCategoryShare = 0.2 }).Rerank(items, scores, categories, NoPopularity, 5);

        // One drama fits the cap of ⌈0.2 × 5⌉ = 1, the comedy next, then dramas by relevance fill the rest.
        Assert.Equal([0, 8, 1, 2, 3], list);
    }

    [Fact]
    public void CapCountsEveryCategoryOfAnItemWithSeveral()
    {
        var categories = ItemCategories.FromSets([["Action", "Sci-Fi"], ["Action"], ["Sci-Fi", "War"], ["Comedy"], ["Drama"], ["Romance"]]);
        int[] items = [0, 1, 2, 3, 4, 5];
        double[] scores = [6, 5, 4, 3, 2, 1];

        var list = new DiversityReranker(new DiversityOptions { MaxCategoryShare = 0.25 }).Rerank(items, scores, categories, NoPopularity, 4);

        // ⌈0.25 × 4⌉ = 1: after item 0, both item 1 (Action) and item 2 (Sci-Fi) must wait.
        Assert.Equal([0, 3, 4, 5], list);
    }

    [Fact]
    public void MmrRaisesIntraListDiversityOnAListOfOneGenre()
    {
        // The five best are all action; comedy, drama and a documentary follow a little lower.
        var categories = ItemCategories.FromSets([["Action"], ["Action"], ["Action"], ["Action"], ["Action"], ["Comedy"], ["Action", "Drama"], ["Documentary"]]);
        int[] items = [0, 1, 2, 3, 4, 5, 6, 7];
        double[] scores = [1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.65, 0.1];

        var off = new DiversityReranker(new DiversityOptions()).Rerank(items, scores, categories, NoPopularity, 4);
        var mmr = new DiversityReranker(new DiversityOptions { MmrLambda = 0.5 }).Rerank(items, scores, categories, NoPopularity, 4);

        Assert.Equal([0, 1, 2, 3], off);
        // 0 first; the comedy (no overlap) beats action #2, then the half-action drama (overlap 0.5); at λ 0.5 even
        // the weak documentary (no overlap) beats a fourth action film.
        Assert.Equal([0, 5, 6, 7], mmr);
        var offDiversity = BeyondAccuracyMetrics.IntraListDiversity([off], categories);
        var mmrDiversity = BeyondAccuracyMetrics.IntraListDiversity([mmr], categories);
        Assert.Equal(0, offDiversity);
        Assert.Equal(5.5 / 6, mmrDiversity, 12);
    }

    [Fact]
    public void PopularityPenaltyDemotesAPopularItemOfSimilarRelevance()
    {
        var categories = ItemCategories.FromSingle(new string?[3]);
        int[] items = [0, 1, 2];
        double[] scores = [1.0, 0.95, 0.0];
        int[] popularity = [1000, 10, 1];

        var off = new DiversityReranker(new DiversityOptions()).Rerank(items, scores, categories, popularity, 3);
        var penalised = new DiversityReranker(new DiversityOptions { PopularityPenalty = 0.3 }).Rerank(items, scores, categories, popularity, 3);

        Assert.Equal([0, 1, 2], off);
        // Base: item 0 = 1 − 0.3 × 1 = 0.70; item 1 = 0.95 − 0.3 × log 11 / log 1001 ≈ 0.85.
        Assert.Equal([1, 0, 2], penalised);
    }

    [Fact]
    public void ServingFormTakesIdsAndOneCategoryEachAndBreaksTiesByPosition()
    {
        (string Id, double Score, string? Category, double Sold)[] scored =
        [
            ("shirt-1", 0.9, "shirts", 50), ("shirt-2", 0.9, "shirts", 50), ("shirt-3", 0.8, "shirts", 40),
            ("shoe-1", 0.7, "shoes", 30), ("hat-1", 0.5, null, 5), ("belt-1", 0.4, "belts", 2),
        ];
        var reranker = new DiversityReranker(new DiversityOptions { MaxCategoryShare = 0.5 });

        var list = reranker.Rerank(scored, 4, s => s.Score, s => s.Category, s => s.Sold);

        // ⌈0.5 × 4⌉ = 2 shirts at most; the uncategorised hat is never capped.
        Assert.Equal(["shirt-1", "shirt-2", "shoe-1", "hat-1"], list.Select(s => s.Id));
    }

    [Fact]
    public void ShortCandidateListsReturnEveryCandidate()
    {
        var list = new DiversityReranker(new DiversityOptions { MmrLambda = 0.5 }).Rerank(["a", "b"], 10, _ => 1.0, _ => "x", _ => 0);
        Assert.Equal(["a", "b"], list);
    }

    [Fact]
    public void NonFiniteScoresAreRejected() =>
        Assert.Throws<ArgumentException>(() => new DiversityReranker(new DiversityOptions()).Rerank(["a", "b"], 2, s => s == "a" ? double.NegativeInfinity : 1, _ => null, _ => 0));

    [Fact]
    public void CategoriesAreStoredSortedWithoutRepeatsAndJaccardCountsSharedOverEither()
    {
        var categories = ItemCategories.FromSets([["b", "a", "b"], ["c", "a"], null]);

        var first = categories.Of(0).ToArray();
        Assert.Equal(2, first.Length);
        Assert.True(first[0] < first[1]);
        Assert.Equal(["a", "b"], first.Select(categories.Name).Order());
        Assert.Equal(1 / 3.0, ItemCategories.Jaccard(categories.Of(0), categories.Of(1)), 12);
        Assert.Equal(0, ItemCategories.Jaccard(categories.Of(0), categories.Of(2)));
    }
}
