using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using static ServerlessReco.Core.Tests.Serving.Stages.ServingStates;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>The candidate sources: new arrivals, the model's scores from the user's history, trending.</summary>
public sealed class CandidateSourceTests
{
    private static readonly BehaviorEvent[] Shopper = [Event("u", Id(2), EventType.Purchase, 30), Event("u", Id(3), EventType.View, 20)];

    [Fact]
    public async Task NewArrivalsAreTheNewestItemsTheModelDoesNotKnowWithinTheWindowAndAreTakenOnce()
    {
        var state = await WithModelAsync();
        var list = List(state, Shopper);

        var arrivals = new NewArrivalSource(new ServingOptions()).Take(list, 5);

        Assert.Equal(["n1", "n2"], arrivals.Select(i => i.ItemId));
        Assert.All(arrivals, i => Assert.Equal((ReasonKind.NewArrival, "new arrival"), (i.ReasonKind, i.Reason)));
        Assert.True(arrivals[0].Score > arrivals[1].Score);
        Assert.Contains("n1", list.Taken);
        Assert.Empty(new NewArrivalSource(new ServingOptions()).Take(list, 5));
    }

    [Fact]
    public async Task AnArrivalTheModelLearntFromAViewKeepsTheSlotUntilAListShowsItWithinItsFirstDay()
    {
        // i05 and i07 arrived an hour ago but were viewed before the retrain, so the model knows them; i09 arrived two days ago.
        var model = (await WithModelAsync()).Model;
        DateTimeOffset Created(CatalogItem item) => item.ItemId switch
        {
            "i05" or "i07" => Now.AddHours(-1),
            "i09" => Now.AddDays(-2),
            _ => item.CreatedAt!.Value,
        };
        var catalogue = new CatalogSnapshot([.. Catalogue.Select(i => i with { CreatedAt = Created(i) })], Now);
        var shown = new Dictionary<string, ItemFeedback>(StringComparer.Ordinal) { ["i07"] = new(1, 0), ["n1"] = new(3, 0) };
        var state = new ServingState(model, catalogue, new TrendingEvents(new Dictionary<string, double>(), 0, Now, shown), popularityPrior: 0.5);

        var arrivals = new NewArrivalSource(new ServingOptions()).Take(List(state, Shopper), 10);

        // Never shown first (n2, which the model does not know, and i05, which it does); then the arrivals the model does
        // not know, shown or not (n1); i07 left to the model once a list showed it, i09 once its first day was over.
        Assert.Equal(["i05", "n2"], arrivals.Take(2).Select(i => i.ItemId).Order(StringComparer.Ordinal));
        Assert.Contains("n1", arrivals.Select(i => i.ItemId));
        Assert.DoesNotContain(arrivals, i => i.ItemId is "i07" or "i09");
        Assert.All(arrivals, i => Assert.Equal(ReasonKind.NewArrival, i.ReasonKind));
    }

    [Fact]
    public async Task TheModelsCandidatesAreItsBestThroughTheOneTopKPathLessWhatTheListMayNotTake()
    {
        var state = await WithModelAsync();
        var list = List(state, Shopper);
        var recommender = state.Model!.Recommender;
        var scorer = recommender.Artifact.Model;
        var profile = recommender.Affinities(Shopper, Now);
        using var expected = UserScores.For(scorer, profile.Items, profile.Affinities);
        expected.Exclude([scorer.Items.TryGetIndex(Id(2), out var a) ? a : -1, scorer.Items.TryGetIndex(Id(3), out var b) ? b : -1, scorer.Items.TryGetIndex(Id(11), out var c) ? c : -1]);

        var candidates = ModelCandidateSource.Take(list, 4, tailSize: 0, new Random(1));

        Assert.Equal(expected.Best(4).Select(j => scorer.Items[j]), candidates.Near.Select(c => c.Item.ItemId));
        Assert.All(candidates.Near, c => Assert.Equal(ReasonKind.History, c.Item.ReasonKind));
        Assert.All(candidates.Near, c => Assert.Contains(c.Item.ItemId, list.Taken));
        Assert.DoesNotContain(candidates.Near, c => c.Item.ItemId is "i02" or "i03" or "i11");
        Assert.NotNull(candidates.Reasons);
    }

    [Fact]
    public async Task TheTailSampleComesFromWhatIsLeftWithItsInclusionProbability()
    {
        var state = await WithModelAsync();
        var list = List(state, Shopper);

        var candidates = ModelCandidateSource.Take(list, 3, tailSize: 2, new Random(7));

        // 12 known items, less 2 the shopper took up, the unavailable one and the 3 best: 6 could be sampled.
        Assert.Equal(2, candidates.Tail.Count);
        Assert.Equal(2 / 6.0, candidates.TailInclusion, 12);
        Assert.All(candidates.Tail, c => Assert.Equal(ReasonKind.Discovery, c.Item.ReasonKind));
        Assert.Empty(candidates.Tail.Select(c => c.Item.ItemId).Intersect(candidates.Near.Select(c => c.Item.ItemId)));
        Assert.DoesNotContain(candidates.Tail, c => c.Item.ItemId is "i02" or "i03" or "i11");
    }

    [Fact]
    public void WithoutAModelThereAreNoModelCandidates()
    {
        var list = List(State(model: null), Shopper);

        var candidates = ModelCandidateSource.Take(list, 5, tailSize: 5, new Random(1));

        Assert.Empty(candidates.Near);
        Assert.Empty(candidates.Tail);
        Assert.Null(candidates.Reasons);
    }

    [Fact]
    public void TrendingIsLiftedByTheUsersCategoriesAndSkipsTakenItems()
    {
        var state = State(model: null, new Dictionary<string, double> { [Id(0)] = 10, [Id(1)] = 9, [Id(4)] = 8, [Id(5)] = 3 });
        var trending = new TrendingCandidateSource(new ServingOptions { CategoryBoost = 4 });
        var garden = CatalogRules.ResolveCategory(state, "Garden");

        var plain = trending.Take(state, 3, CatalogRules.AnyCategory, [], new HashSet<string>(StringComparer.Ordinal));
        var gardener = trending.Take(state, 3, CatalogRules.AnyCategory, new Dictionary<int, double> { [garden] = 1 }, new HashSet<string>(StringComparer.Ordinal) { Id(1) });
        var onlyGarden = trending.Take(state, 5, garden, [], new HashSet<string>(StringComparer.Ordinal));

        Assert.Equal([Id(0), Id(1), Id(4)], plain.Select(i => i.ItemId));
        Assert.Equal([Id(5), Id(0), Id(4)], gardener.Select(i => i.ItemId));
        // Garden has two trending items; the catalogue's newest Garden items fill the rest, saying where they come from.
        Assert.Equal([Id(1), Id(5), "n2", Id(3), Id(7)], onlyGarden.Select(i => i.ItemId));
        Assert.Equal("trending in Garden", onlyGarden[0].Reason);
        Assert.Equal(["new in the catalogue"], onlyGarden.Skip(2).Select(i => i.Reason).Distinct());
        Assert.All(onlyGarden.Skip(2), i => Assert.Equal(ReasonKind.Catalogue, i.ReasonKind));
        Assert.All(plain, i => Assert.Equal(ReasonKind.Trending, i.ReasonKind));
    }

    [Fact]
    public void WithoutModelOrRecentEventsTheStoredPopularityThenTheCatalogueFillAndUnavailableItemsNeverDo()
    {
        // No model, no event in the trending window: what the stored events made popular first, then the newest items.
        var empty = State(model: null);
        var stored = new ServingState(
            null, new CatalogSnapshot(Catalogue, Now), new TrendingEvents(new Dictionary<string, double>(), 0, Now) { Popular = new Dictionary<string, double> { [Id(6)] = 4, [Id(11)] = 9, [Id(2)] = 2 } }, 0.5);
        var trending = new TrendingCandidateSource(new ServingOptions());

        var fromCatalogue = trending.Take(empty, 4, CatalogRules.AnyCategory, [], new HashSet<string>(StringComparer.Ordinal) { "n1" });
        var fromStored = trending.Take(stored, 4, CatalogRules.AnyCategory, [], new HashSet<string>(StringComparer.Ordinal));
        var everything = trending.Take(empty, 100, CatalogRules.AnyCategory, [], new HashSet<string>(StringComparer.Ordinal));

        Assert.Equal(["n2", "n3", Id(0), Id(1)], fromCatalogue.Select(i => i.ItemId));
        Assert.Equal([Id(6), Id(2), "n1", "n2"], fromStored.Select(i => i.ItemId));
        Assert.Equal(["popular", "popular", "new in the catalogue", "new in the catalogue"], fromStored.Select(i => i.Reason));
        Assert.Equal([ReasonKind.Popular, ReasonKind.Popular, ReasonKind.Catalogue, ReasonKind.Catalogue], fromStored.Select(i => i.ReasonKind));
        Assert.Equal(Catalogue.Count(i => i.Available), everything.Count);
        Assert.DoesNotContain(everything, i => i.ItemId == Id(11));
    }
}
