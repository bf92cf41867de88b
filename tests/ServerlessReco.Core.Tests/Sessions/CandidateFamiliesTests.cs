using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Tests.Sessions;

/// <summary>The candidate families beside the model: the current visit, the shopper's categories, repeat interest.</summary>
public class CandidateFamiliesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    // Items a0..a2 in category 0 (popularity 5, 9, 1), b0..b1 in category 1 (popularity 7, 2), x0 without one (popularity 4).
    private static readonly IdIndex Items = new(["a0", "a1", "a2", "b0", "b1", "x0"]);
    private static readonly ItemPriors Priors = new([5, 9, 1, 7, 2, 4], [0, 0, 0, 1, 1, -1]);

    private static int I(string id) => Items.TryGetIndex(id, out var i) ? i : throw new ArgumentException(id);

    private static int CategoryOf(string id) => id[0] switch { 'a' => 0, 'b' => 1, _ => -1 };

    private static BehaviorEvent Event(string item, EventType type, int minute, string? session = null) => new()
    {
        EventId = $"{item}:{minute}:{type}", UserId = "u", ItemId = item, Type = type, Timestamp = Start.AddMinutes(minute), SessionId = session,
    };

    private static double[] Family(Core.Sessions.Family family, params BehaviorEvent[] events)
    {
        var context = new FamilyContext(events, null, Items, new EventWeights(), null, new SessionNeighborOptions(), Priors, CategoryOf);
        var scores = new double[Items.Count];
        CandidateFamilies.Compute(family, context, scores);
        return scores;
    }

    [Fact]
    public void TwoViewsInOneCategoryMakeThatCategorysBestTheTopOfTheCategoryFamily()
    {
        var scores = Family(Core.Sessions.Family.Category, Event("b1", EventType.View, 0), Event("a2", EventType.View, 1), Event("a0", EventType.View, 2));

        Assert.Equal(1, scores[I("a1")], 9);                          // category 0's most popular
        Assert.True(scores[I("a0")] < scores[I("a1")]);
        Assert.True(scores[I("b0")] < scores[I("a0")]);   // category 1: one older view
        Assert.True(scores[I("b0")] > 0);
        Assert.Equal(0, scores[I("x0")]);
    }

    [Fact]
    public void AnItemWeighsItsShareOfItsCategorysPopularity()
    {
        Assert.Equal(9.0 / 15, Priors.InCategory[I("a1")], 9);
        Assert.Equal(7.0 / 9, Priors.InCategory[I("b0")], 9);
        Assert.Equal(0, Priors.InCategory[I("x0")]);
    }

    [Fact]
    public void AShopperBackAfterTheVisitEndedIsServedAllTheirCategoriesNotOnlyTheLastVisits()
    {
        BehaviorEvent[] events = [Event("a0", EventType.View, 0), Event("a2", EventType.View, 1), Event("b1", EventType.View, 120)];
        double[] At(int minute)
        {
            var context = new FamilyContext(events, null, Items, new EventWeights(), null, new SessionNeighborOptions(), Priors, CategoryOf, Now: Start.AddMinutes(minute));
            var scores = new double[Items.Count];
            CandidateFamilies.Compute(Core.Sessions.Family.Category, context, scores);
            return scores;
        }

        var during = At(125);
        var back = At(60 * 24);

        Assert.Equal(0, during[I("a1")]);                      // within the visit: its category alone
        Assert.True(during[I("b0")] > 0);
        Assert.True(back[I("a1")] > 0);                         // a day later: the earlier visit's category too
        Assert.True(back[I("b0")] > 0);
        Assert.False(CandidateFamilies.VisitEnded(events, "s-new", Start.AddMinutes(125)));
        Assert.True(CandidateFamilies.VisitEnded(events, "s-new", Start.AddMinutes(60 * 24)));
    }

    [Fact]
    public void TheNewerCategoryLeadsWhenEachHasOneView()
    {
        var older = Family(Core.Sessions.Family.Category, Event("a2", EventType.View, 0), Event("b1", EventType.View, 1));

        Assert.True(older[I("b0")] > older[I("a1")]);
    }

    [Fact]
    public void RepeatInterestWeighsRecencyFrequencyAndWhatWasDone()
    {
        var scores = Family(
            Core.Sessions.Family.Repeat,
            Event("a0", EventType.View, 0), Event("a0", EventType.View, 1), Event("b0", EventType.View, 2), Event("a2", EventType.AddToCart, 3), Event("b1", EventType.View, 4));

        Assert.Equal(1, scores.Max(), 9);
        Assert.Equal(I("a2"), Array.IndexOf(scores, scores.Max()));  // carted beats a newer view
        Assert.True(scores[I("b1")] > scores[I("b0")]);  // newer
        Assert.True(scores[I("a0")] > 0);
        Assert.Equal(0, scores[I("a1")]);                            // never touched
    }

    [Fact]
    public void TheCurrentVisitIsTheRequestsSessionTheNewestSessionOrTheLastRunWithoutAGap()
    {
        BehaviorEvent[] tagged = [Event("a0", EventType.View, 0, "s1"), Event("b0", EventType.View, 1, "s2"), Event("a1", EventType.View, 2, "s1"), Event("b1", EventType.View, 3, "s2")];
        BehaviorEvent[] untagged = [Event("a0", EventType.View, 0), Event("a1", EventType.View, 100), Event("a2", EventType.View, 110)];

        Assert.Equal(["a0", "a1"], CandidateFamilies.CurrentVisit(tagged, "s1").Select(e => e.ItemId));
        Assert.Equal(["b0", "b1"], CandidateFamilies.CurrentVisit(tagged, null).Select(e => e.ItemId));
        Assert.Equal(["b0", "b1"], CandidateFamilies.CurrentVisit(tagged, "unknown").Select(e => e.ItemId));
        Assert.Equal(["a1", "a2"], CandidateFamilies.CurrentVisit(untagged, null).Select(e => e.ItemId));
    }

    [Fact]
    public void PopularityIsScaledToItsMostPopularItem()
    {
        var scores = Family(Core.Sessions.Family.Popularity);

        Assert.Equal(1, scores[I("a1")], 9);
        Assert.Equal(4.0 / 9, scores[I("x0")], 9);
    }
}
