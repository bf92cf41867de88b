using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Tests.Benchmarks;

/// <summary>
/// The cold-item protocol on a small world where every item has the same genre and two tastes differ only in content:
/// content must find each user's held-out items, genre affinity cannot.
/// </summary>
public sealed class ColdItemBenchmarkTests
{
    private const int Items = 40;

    private static readonly CatalogItem[] Catalogue = [.. Enumerable.Range(1, Items).Select(i => new CatalogItem { ItemId = $"{i}", Title = $"Movie {i}", Tags = ["Drama"] })];

    /// <summary>Odd items point one way, even items the other, each with a little spread.</summary>
    private static readonly ContentEmbeddings Content = ContentEmbeddings.Build(
        [.. Catalogue.Select(c => c.ItemId)],
        [.. Enumerable.Range(1, Items).Select(i => i % 2 == 1 ? new[] { 1f, 0.01f * i, 0 } : [0, 0.01f * i, 1f])],
        new ContentOptions { Dimensions = 0 });

    /// <summary>Users 1..30: odd users rate every odd item, even users every even item.</summary>
    private static readonly RatingRow[] Ratings =
        [.. from user in Enumerable.Range(1, 30) from item in Enumerable.Range(1, Items) where item % 2 == user % 2 select new RatingRow(user, item, 4, 0)];

    [Fact]
    public void ContentFindsTheHeldOutItemsOfEachTasteWhereGenresCannot()
    {
        var seed = ColdItemBenchmark.Run(Ratings, Catalogue, Content, new TrainingOptions(), seed: 1);

        Assert.Equal(8, seed.HeldOutItems);
        Assert.Equal(30, seed.Users);
        Assert.Equal(1.0, seed.Content.Ndcg, 6);
        Assert.True(seed.Genre.Ndcg < 0.9, $"genre {seed.Genre.Ndcg}");
        Assert.True(seed.Paired.Mean > 2 * seed.Paired.StandardError);
    }

    [Fact]
    public void TheSameSeedHoldsOutTheSameItems()
    {
        var first = ColdItemBenchmark.Run(Ratings, Catalogue, Content, new TrainingOptions(), seed: 3);
        var again = ColdItemBenchmark.Run(Ratings, Catalogue, Content, new TrainingOptions(), seed: 3);

        Assert.Equal(first.Random.NdcgByUser, again.Random.NdcgByUser);
        Assert.Equal(first.Genre.NdcgByUser, again.Genre.NdcgByUser);
    }
}
