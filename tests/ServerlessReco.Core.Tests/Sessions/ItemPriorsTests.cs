using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Tests.Sessions;

/// <summary>An item's share of its category's popularity, and how equally popular items of a category are ordered.</summary>
public class ItemPriorsTests
{
    [Fact]
    public void AnItemWeighsItsShareOfItsCategorysPopularity()
    {
        var priors = new ItemPriors([6, 2, 2, 5, 0], [0, 0, 0, 1, -1]);

        Assert.Equal([0.6, 0.2, 0.2, 1.0, 0], priors.InCategory);
        Assert.Equal([1.0, 2 / 6.0, 2 / 6.0, 5 / 6.0, 0], priors.Popularity);
    }

    [Fact]
    public void EquallyPopularItemsOfACategoryAreOrderedByTheirIdNotByTheModelsItemOrder()
    {
        // 200 items of one category, all seen by one shopper (a long tail's usual count), and one seen by two.
        var ids = new IdIndex(Enumerable.Range(0, 201).Select(i => $"item-{i * 7919 % 1000}"));
        int[] popularity = [2, .. Enumerable.Repeat(1, 200)];
        var priors = new ItemPriors(popularity, new int[201], ids.Ids);

        // Each keeps its share but for a part in a billion, so a real difference of shares always wins.
        var share = 1 / 202.0;
        Assert.All(priors.InCategory.Skip(1), s => Assert.InRange(s, share, share * (1 + ItemPriors.TieSpread)));
        Assert.True(priors.InCategory.Skip(1).All(s => s < priors.InCategory[0]));
        // The ties are no longer in the model's order (first seen first), but in an order of the ids alone.
        var tied = Enumerable.Range(1, 200).OrderByDescending(i => priors.InCategory[i]).ThenBy(i => i).ToList();
        Assert.Equal(200, priors.InCategory.Skip(1).Distinct().Count());
        Assert.NotEqual(Enumerable.Range(1, 200), tied);
        Assert.Equal(tied, Enumerable.Range(1, 200).OrderByDescending(i => ItemPriors.Neutral(ids[i])).ToList());
        // The same order in every process: FNV-1a over the id's characters (1782669047 for "item-42"), not string.GetHashCode.
        Assert.Equal(1782669047 / 4294967296.0, ItemPriors.Neutral("item-42"));
    }
}
