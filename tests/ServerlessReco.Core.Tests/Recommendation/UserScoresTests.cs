using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>The one top-k path: serving, the recommender and offline evaluation read their lists through <see cref="UserScores"/>.</summary>
public sealed class UserScoresTests
{
    /// <summary>Scores an item by the affinity given for it, negated for odd indices, so the best list is known.</summary>
    private sealed class FixedScorer(int count) : IItemScorer
    {
        public string Name => "fixed";

        public IdIndex Items { get; } = new(Enumerable.Range(0, count).Select(i => $"i{i}"));

        public void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores)
        {
            scores.Clear();
            for (var h = 0; h < items.Length; h++)
            {
                scores[items[h]] = items[h] % 2 == 0 ? affinities[h] : -affinities[h];
            }
        }
    }

    [Fact]
    public void TheBestStopAtTheFirstScoreThatIsNotPositiveAndSkipExcludedItems()
    {
        using var scores = UserScores.For(new FixedScorer(8), [0, 1, 2, 4, 6], [0.5, 0.9, 0.8, 0.8, 0.1]);

        Assert.Equal([2, 4, 0, 6, 3, 5, 7, 1], scores.Top(10));
        Assert.Equal([2, 4, 0, 6], scores.Best(10));
        Assert.Equal([2, 4], scores.Best(2));
        scores.Exclude(4);
        Assert.Equal([2, 0, 6], scores.Best(10));
    }

    [Fact]
    public void WithNoKnownItemsThereIsNothingToRecommend()
    {
        using var scores = UserScores.For(new FixedScorer(5), [], []);

        Assert.Empty(scores.Best(3));
        Assert.Equal(5, scores.Length);
    }
}
