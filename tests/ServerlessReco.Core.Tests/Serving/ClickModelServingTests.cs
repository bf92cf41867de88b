using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>
/// The click model in the real serving path: a version that carries one re-ranks a shopper's candidates by predicted
/// click probability (the answer names the version as its ranker), and the list keeps today's order, saying
/// <c>none</c>, for a version without one, with the setting off, and for a shopper with no history.
/// </summary>
public sealed class ClickModelServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private async Task<IReadOnlyList<string>> TodaysOrderAsync(string user, int count)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service();
        await service.RefreshAsync();
        var list = await service.RecommendAsync(new RecommendationRequest(user, count, Explore: 0), Cancel);
        Assert.Equal("none", list.Ranker);
        return [.. list.Items.Select(i => i.ItemId)];
    }

    private async Task<RecommendationService> WithClickModelAsync(IEnumerable<string> favoured, ServingOptions? options = null)
    {
        var artifact = await Trainer.TrainAsync(_shop.Events.ReadAllAsync(cancellationToken: Cancel), new TrainerOptions());
        artifact.Attach(ClickModel.AttachmentName, HandBuiltClickModels.Favouring(favoured, DateTimeOffset.UtcNow).ToBytes());
        await _shop.PublishAsync("v2", artifact: artifact);
        var service = _shop.Service(options);
        await service.RefreshAsync();
        return service;
    }

    [Fact]
    public async Task AVersionWithAClickModelPutsTheItemsItPredictsBestFirstAndSaysSo()
    {
        var user = _shop.ActiveUser();
        var today = await TodaysOrderAsync(user, 40);
        var favoured = today.Skip(25).Take(10).ToList();
        var service = await WithClickModelAsync(favoured);

        var list = await service.RecommendAsync(new RecommendationRequest(user, 10, Explore: 0), Cancel);

        Assert.Equal("v2", list.Ranker);
        Assert.Equal(favoured.Order(StringComparer.Ordinal), list.Items.Select(i => i.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(favoured, list.Items.Select(i => i.ItemId)); // equal probabilities keep today's order among them
    }

    [Fact]
    public async Task WithTheSettingOffOrForAShopperWithNoHistoryTheListKeepsTodaysOrder()
    {
        var user = _shop.ActiveUser();
        var today = await TodaysOrderAsync(user, 10);
        var off = await WithClickModelAsync(today.Skip(5), new ServingOptions { ClickModel = false });

        var unchanged = await off.RecommendAsync(new RecommendationRequest(user, 10, Explore: 0), Cancel);
        var on = _shop.Service();
        await on.RefreshAsync();
        var cold = await on.RecommendAsync(new RecommendationRequest("shopper-never-seen", 10, Explore: 0), Cancel);

        Assert.Equal("none", unchanged.Ranker);
        Assert.Equal(today, unchanged.Items.Select(i => i.ItemId));
        Assert.Equal("none", cold.Ranker);
        Assert.NotEmpty(cold.Items);
    }
}
