using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Sessions;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>Serving a model whose blend gives repeat interest a weight: seen items come back with what the shopper did as the reason.</summary>
public sealed class FamilyBlendServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private async Task<string> PublishWithBlendAsync(BlendWeights weights)
    {
        await _shop.StoreAsync();
        var artifact = await Trainer.TrainAsync(_shop.Events.ReadAllAsync(cancellationToken: Cancel), new TrainerOptions(), cancellationToken: Cancel);
        var matrix = await InteractionMatrixBuilder.BuildAsync(_shop.Events.ReadAllAsync(cancellationToken: Cancel), artifact.Training, cancellationToken: Cancel);
        new SessionSignals(SessionIndex.Build(matrix, 1000), new BlendChoice(weights, new SessionNeighborOptions(), 100, 0.5, 0.3, 0.4, 0.2)).AttachTo(artifact);
        await _shop.PublishAsync("v1", artifact: artifact);
        return "fresh-visitor";
    }

    [Fact]
    public async Task WithRepeatInterestLearnedTheItemJustLookedAtComesBackSaidSo()
    {
        var user = await PublishWithBlendAsync(new BlendWeights(0.5, 1, 0, 2, 0));
        var item = _shop.Data.Items[3].ItemId;
        await _shop.Events.AppendAsync([ServingShop.Event(user, item, EventType.View), ServingShop.Event(user, _shop.Data.Items[4].ItemId, EventType.Click)], Cancel);

        var learned = await _shop.Service(new ServingOptions { Explore = 0 }).RecommendAsync(new RecommendationRequest(user, 10), Cancel);
        var excluded = await _shop.Service(new ServingOptions { Explore = 0, ExcludeSeen = true }).RecommendAsync(new RecommendationRequest(user, 10), Cancel);

        var again = Assert.Single(learned.Items, i => i.ItemId == item);
        Assert.Equal("you looked at this", again.Reason);
        Assert.Equal(item, again.BasedOn);
        Assert.Contains(learned.Items, i => i.Reason == "you clicked this");
        Assert.DoesNotContain(excluded.Items, i => i.ItemId == item);
    }

    [Fact]
    public async Task WithoutRepeatInterestSeenItemsStayOutAndReasonsUseTheEventsVerb()
    {
        var user = await PublishWithBlendAsync(new BlendWeights(1, 1, 0, 0, 0));
        var item = _shop.Data.Items[3].ItemId;
        await _shop.Events.AppendAsync([ServingShop.Event(user, item, EventType.Click)], Cancel);

        var list = await _shop.Service(new ServingOptions { Explore = 0 }).RecommendAsync(new RecommendationRequest(user, 10), Cancel);

        Assert.DoesNotContain(list.Items, i => i.ItemId == item);
        Assert.Equal(ServingSource.Model, list.Source);
        Assert.All(list.Items.Where(i => i.ReasonKind == ReasonKind.History), i => Assert.StartsWith("because you clicked ", i.Reason, StringComparison.Ordinal));
    }
}
