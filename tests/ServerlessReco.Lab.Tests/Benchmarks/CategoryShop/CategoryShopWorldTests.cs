using ServerlessReco.Core.Events;
using ServerlessReco.Lab.Benchmarks.CategoryShop;

namespace ServerlessReco.Lab.Tests.Benchmarks.CategoryShop;

/// <summary>The generated category shop has the shape, and the baselines serve full lists of what the shopper has not touched.</summary>
public sealed class CategoryShopWorldTests
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly CategoryShopWorld Shop = CategoryShopWorld.Generate(CategoryShopOptions.Small with { Seed = 7 }, End);

    [Fact]
    public void TheLogIsShortSessionsOnALongTailedCatalogueWithCategoriesAndNoText()
    {
        var options = Shop.Options;
        Assert.Equal(options.Items, Shop.Items.Count);
        Assert.Equal(options.Categories, Shop.Items.Select(i => i.Category).Distinct().Count());
        Assert.All(Shop.Items, i => Assert.True(i.Title is null || i.Title == $"item {i.Id}"));
        Assert.InRange(Shop.Events.Count, options.Events * 0.9, options.Events * 1.1);
        Assert.All(Shop.Events, e => Assert.InRange(e.Timestamp, End - options.Window, End));
        Assert.Equal(Shop.Events.OrderBy(e => e.Timestamp).Select(e => e.EventId), Shop.Events.Select(e => e.EventId));

        var perShopper = Shop.Events.GroupBy(e => e.UserId).Select(g => g.Count()).ToList();
        Assert.True(perShopper.Count(c => c <= 2) > perShopper.Count / 2, "most shoppers make one or two events");
        var views = Shop.Events.Count(e => e.Type == EventType.View);
        Assert.True(views > 0.8 * Shop.Events.Count, "views are most of the log");
        Assert.True(Shop.Events.Count(e => e.Type == EventType.Purchase) < Shop.Events.Count(e => e.Type == EventType.AddToCart), "fewer purchases than carts");

        // A long tail: the most viewed tenth of the items holds far more than a tenth of the views, and many items have none.
        var byItem = Shop.Events.GroupBy(e => e.ItemId).Select(g => g.Count()).OrderByDescending(c => c).ToList();
        Assert.True(byItem.Take(options.Items / 10).Sum() > 0.2 * Shop.Events.Count);
        Assert.True(byItem.Count < options.Items);
    }

    [Fact]
    public void ReturningShoppersAreScoredOnItemsNewToThem()
    {
        Assert.InRange(Shop.Later.Count, Shop.Options.Returning / 2, Shop.Options.Returning);
        var touched = Shop.Events.GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Select(e => e.ItemId).ToHashSet());
        Assert.All(Shop.Later, p => Assert.DoesNotContain(p.Value, touched[p.Key].Contains));
    }

    [Fact]
    public void TheSameSeedIsTheSameShopAndAnotherSeedAnother()
    {
        var again = CategoryShopWorld.Generate(CategoryShopOptions.Small with { Seed = 7 }, End);
        var other = CategoryShopWorld.Generate(CategoryShopOptions.Small with { Seed = 8 }, End);

        Assert.Equal(Shop.Events.Select(e => (e.UserId, e.ItemId, e.Type, e.Timestamp)), again.Events.Select(e => (e.UserId, e.ItemId, e.Type, e.Timestamp)));
        Assert.NotEqual(Shop.Events.Select(e => e.ItemId), other.Events.Select(e => e.ItemId));
    }

    [Fact]
    public void EveryBaselineListIsFullAndLeavesOutWhatTheShopperTouched()
    {
        var baselines = new CategoryShopBaselines(Shop.Items, Shop.Events);
        var category = Shop.Items.ToDictionary(i => i.Id, i => i.Category);
        foreach (var shopper in Shop.Later.Keys.Take(50))
        {
            var seen = baselines.Seen(shopper);
            foreach (var name in CategoryShopBaselines.Names)
            {
                var list = baselines.Recommend(name, shopper, 20);
                Assert.Equal(20, list.Distinct().Count());
                Assert.DoesNotContain(list, seen.Contains);
            }

            // Category popularity starts in a category the shopper touched.
            Assert.Contains(category[baselines.CategoryPopularity(shopper, 20)[0]], seen.Select(i => category[i]));
        }
    }
}
