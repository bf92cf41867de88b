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

    /// <summary>
    /// One tree on the item's smoothed click-through rate (feature <c>item.ctr</c>): above 0.5 the log-odds are +3,
    /// below −3. The favoured items were shown 100 times and engaged 90; no other item was ever shown, so its rate is the
    /// 5 % prior. A real model's format (trees, calibration, counts), built by hand so the test knows its answer.
    /// </summary>
    private static ClickModel Favouring(IEnumerable<string> favoured)
    {
        var tree = new RegressionTreeNodes([~0], [~1], [Array.IndexOf(ClickFeatures.Names, "item.ctr")], [0.5f], [-3, 3]);
        var items = favoured.ToDictionary(i => i, _ => new ItemExposure(100, 90, DateTimeOffset.UtcNow.AddDays(-3).UtcTicks), StringComparer.Ordinal);
        var exposures = new ClickExposures(items, new Dictionary<string, UserExposure>(StringComparer.Ordinal), new Dictionary<(string, string), PairExposure>());
        return new ClickModel(new TreeEnsemble([tree], 0, ClickFeatures.Count), PlattCalibration.Identity, exposures, 0.05, new ClickModelFigures(0, 0, 0, 0, 0.5, 0, 0, 0, "none"));
    }

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
        artifact.Attach(ClickModel.AttachmentName, Favouring(favoured).ToBytes());
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
