using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using static ServerlessReco.Core.Tests.Serving.Stages.ServingStates;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>The business rules: the user's history (<see cref="HistoryExclusions"/>) and the catalogue (<see cref="CatalogRules"/>).</summary>
public sealed class RuleStageTests
{
    private static readonly BehaviorEvent[] History =
    [
        Event("u", "a", EventType.View, 50),
        Event("u", "a", EventType.Purchase, 40),
        Event("u", "b", EventType.Dismiss, 30),
        Event("u", "c", EventType.Impression, 20),
        Event("u", "d", EventType.Click, 10),
    ];

    [Fact]
    public void DismissedAndPurchasedItemsAreLeftOutAndSeenOnesWhenConfigured()
    {
        var strict = new HistoryExclusions(new ServingOptions()).Of(History, new EventWeights());
        var lenient = new HistoryExclusions(new ServingOptions { AllowRepeatPurchases = true, ExcludeSeen = false }).Of(History, new EventWeights());

        Assert.Equal(["a", "b", "d"], strict.Excluded.Order());
        Assert.Equal(["b"], lenient.Excluded.Order());
    }

    [Fact]
    public void TheStrongestEventPerItemNamesTheReasonAndImpressionsNameNone()
    {
        var exclusions = new HistoryExclusions(new ServingOptions()).Of(History, new EventWeights());

        Assert.Equal(EventType.Purchase, exclusions.Strongest["a"]);
        Assert.Equal(EventType.Click, exclusions.Strongest["d"]);
        Assert.False(exclusions.Strongest.ContainsKey("b"));
        Assert.False(exclusions.Strongest.ContainsKey("c"));
    }

    [Fact]
    public async Task UnavailableItemsAndOtherCategoriesAreMaskedOut()
    {
        var state = await WithModelAsync();
        var items = state.Model!.Recommender.Artifact.Model.Items;
        var books = CatalogRules.ResolveCategory(state, "BOOKS");
        var scores = Enumerable.Repeat(1.0, items.Count).ToArray();

        CatalogRules.Mask(state, scores, books);

        for (var i = 0; i < items.Count; i++)
        {
            var item = Catalogue.Single(c => c.ItemId == items[i]);
            Assert.Equal(item.Available && item.Category == "Books", scores[i] == 1.0);
        }

        Assert.Equal(CatalogRules.AnyCategory, CatalogRules.ResolveCategory(state, null));
        Assert.Equal(CatalogRules.NoSuchCategory, CatalogRules.ResolveCategory(state, "Toys"));
    }
}
