using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;
using static ServerlessReco.Core.Tests.Serving.Stages.ServingStates;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>What the click model predicted for each candidate reaches the explore pool the uncertainty policy draws from.</summary>
public sealed class ClickPriorStageTests
{
    /// <summary>i02 and i04 were shown 100 times and engaged 90, no other item was shown.</summary>
    private static ClickModel Model() => HandBuiltClickModels.Favouring([Id(2), Id(4)], Now);

    [Fact]
    public void TheRerankedCandidatesCarryTheirPredictionAndShowingsIntoThePoliciesCandidates()
    {
        var state = State(model: null);
        var list = List(state, [Event("u", Id(0), EventType.Click)]);
        var candidates = Enumerable.Range(0, 10).Select(i => new ServingCandidate(state.ItemFor(Id(i), 1 - (i * 0.05), "recommended for you", ReasonKind.History), -1)).ToList();
        var model = Model();

        var reranked = new ClickModelStage(new ServingOptions(), null).Rerank(model, list, "u", candidates, keep: 8);

        Assert.Equal([Id(2), Id(4)], reranked.Take(2).Select(c => c.Item.ItemId));
        Assert.All(reranked, c => Assert.InRange(c.Predicted, 0, 1));
        Assert.Equal([100, 100, 0, 0, 0, 0, 0, 0], reranked.Select(c => c.Showings));
        Assert.True(reranked[0].Predicted > reranked[2].Predicted);

        var stage = new ExplorationStage(new ServingOptions { ExplorationSeed = 1 });
        var plan = stage.Plan(requested: 0.5, state: state, room: 3);
        var served = stage.Serve(list, new RecommendationRequest("u", 3), plan, reranked, new ModelCandidates([], [], 1, null), []);
        Assert.Equal(reranked.Select(c => (c.Item.ItemId, c.Predicted, c.Showings)), served.Candidates.Select(c => (c.ItemId, c.Predicted, c.Showings)));
    }
}
