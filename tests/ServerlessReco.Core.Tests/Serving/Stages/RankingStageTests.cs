using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using static ServerlessReco.Core.Tests.Serving.Stages.ServingStates;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>Diversity re-ranking and exploration: the stages between the candidates and the served list.</summary>
public sealed class RankingStageTests
{
    /// <summary>Ten candidates in score order, the first six "Books", then four "Garden".</summary>
    private static List<ServingCandidate> Candidates(ServingState state) =>
        [.. Enumerable.Range(0, 10).Select(i => new ServingCandidate(
            state.ItemFor(i < 6 ? Id(2 * i % 12) : Id((2 * i) + 1 - 12), 1 - (i * 0.05), "recommended for you", ReasonKind.History), -1))];

    [Fact]
    public void TheCategoryCapHoldsInTheHeadAndThePoolFollowsInTheModelsOrder()
    {
        var state = State(model: null);
        var candidates = Candidates(state);
        var stage = new DiversityStage(new DiversityOptions { MaxCategoryShare = 0.5 });

        var reranked = stage.Rerank(state, candidates, room: 4, wanted: 7);

        Assert.Equal(7, reranked.Count);
        Assert.Equal(2, reranked.Take(4).Count(c => c.Item.Category == "Books"));
        var pool = reranked.Skip(4).Select(c => candidates.IndexOf(c)).ToList();
        Assert.Equal(pool.Order(), pool);
        Assert.Equal(100, stage.CandidatesFor(10));
    }

    [Fact]
    public void WithoutExplorationTheListIsTheHeadInOrderWithPropensityOne()
    {
        var state = State(model: null);
        var stage = new ExplorationStage(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, ExplorationSeed = 3 });
        var plan = stage.Plan(requested: 0, state: state, room: 5);

        var served = stage.Serve(List(state, []), new RecommendationRequest("u", 5), plan, Candidates(state), new ModelCandidates([], [], 1, null), []);

        Assert.Equal(5, plan.Wanted);
        Assert.Equal(0, plan.TailSize);
        Assert.Equal(Candidates(state).Take(5).Select(c => c.Item.ItemId), served.List.Items.Select(i => i.ItemId));
        Assert.All(served.List.Items, i => Assert.Equal((SlotKind.Exploit, 1.0), (i.SlotKind, i.Propensity)));
        Assert.Equal(new ListShape("epsilon-greedy(0)", 0, 5, 5, 0), served.Shape);
    }

    [Fact]
    public void ExplorationStageKeepsTheBudgetAndTailSlotsCarryTheirInclusion()
    {
        var state = State(model: null);
        var options = new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, ExplorationSeed = 3, ExplorationBudget = 2, ExplorationPool = 3, ExplorationTailSample = 2 };
        var stage = new ExplorationStage(options);
        var tail = new List<ServingCandidate> { new(state.ItemFor("n3", 0.1, "something different to discover", ReasonKind.Discovery), -1) };
        for (var draw = 0; draw < 50; draw++)
        {
            var plan = stage.Plan(requested: 1, state: state, room: 4);
            var near = Candidates(state).Take(plan.Wanted).ToList();

            var served = stage.Serve(List(state, []), new RecommendationRequest("u", 4), plan, near, new ModelCandidates([], tail, 0.25, null), []);

            Assert.Equal((7, 2), (plan.Wanted, plan.TailSize));
            Assert.Equal(8, served.Candidates.Count);
            Assert.True(served.List.Items.Count(i => i.SlotKind == SlotKind.Explore) <= 2);
            Assert.All(served.Slots.Where(s => s.Rank == 7), s => Assert.Equal(0.25, s.Inclusion));
            Assert.All(served.List.Items.Where(i => i.ItemId == "n3"), i => Assert.True(i.Propensity <= 0.25));
        }
    }

    [Fact]
    public void NewArrivalsFollowAsExploreSlotsWithPropensityOneAndTheSameSeedDrawsTheSameLists()
    {
        var state = State(model: null);
        var arrival = state.ItemFor("n1", 1, "new arrival", ReasonKind.NewArrival);
        ServedList Serve(ExplorationStage stage)
        {
            var plan = stage.Plan(requested: 0.5, state: state, room: 3);
            return stage.Serve(List(state, []), new RecommendationRequest("u", 4), plan, Candidates(state), new ModelCandidates([], [], 1, null), [arrival]);
        }

        var first = Serve(new ExplorationStage(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, ExplorationSeed = 9 }));
        var second = Serve(new ExplorationStage(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, ExplorationSeed = 9 }));

        Assert.Equal(("n1", SlotKind.Explore, 1.0), (first.List.Items[^1].ItemId, first.List.Items[^1].SlotKind, first.List.Items[^1].Propensity));
        Assert.Equal(new ServedSlot(-1, true, 1), first.Slots[^1]);
        Assert.Equal(first.List.Items, second.List.Items);
        Assert.Equal("epsilon-greedy(0.5)", first.List.Policy);
    }
}
