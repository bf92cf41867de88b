using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>Serving reads the exploration rate a retrain chose from the version it serves, and only where that rate means the same thing.</summary>
public sealed class AdaptiveRateServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    /// <summary>A version whose retrain chose <paramref name="rate"/> under the configured 0.1 (attachment <see cref="ExplorationRateChoice.AttachmentName"/>), served by <paramref name="options"/>.</summary>
    private async Task<RecommendationService> ServiceAsync(double rate, ServingOptions options)
    {
        await _shop.StoreAsync();
        var artifact = await Trainer.TrainAsync(_shop.Events.ReadAllAsync(cancellationToken: Cancel), new TrainerOptions(), cancellationToken: Cancel);
        artifact.Attach(ExplorationRateChoice.AttachmentName, new ExplorationRateChoice(rate, 0.1, "test", 5000) { ConfiguredRate = 0.1, Minimum = 0.02, Maximum = 0.3 }.ToBytes());
        await _shop.PublishAsync("v1", artifact: artifact);
        var service = _shop.Service(options);
        await service.RefreshAsync();
        return service;
    }

    private async Task<string?> PolicyOfAsync(RecommendationService service, double? explore = null)
    {
        var user = _shop.ActiveUser();
        var events = await _shop.Events.ReadUserHistoryAsync(user, 500, Cancel).ToListAsync(Cancel);
        events.Reverse();
        return service.Recommend(new RecommendationRequest(user, Explore: explore), events).Policy;
    }

    [Fact]
    public async Task ListsAreServedAtTheRateTheServingVersionsRetrainChose()
    {
        var service = await ServiceAsync(0.23, new ServingOptions());

        Assert.Equal("uncertainty(0.23)", await PolicyOfAsync(service));
        Assert.Equal("uncertainty(0.5)", await PolicyOfAsync(service, explore: 0.5)); // a request's own rate still wins
    }

    [Theory]
    [InlineData(0.15, 0.05, "uncertainty(0.05)")] // the choice moved up; the operator lowers the rate
    [InlineData(0.1, 0.2, "uncertainty(0.2)")] // the choice stayed; the operator raises the rate
    public async Task AnOperatorsChangeOfTheConfiguredRateServesAtOnceUntilTheNextRetrainChoosesFromIt(double chosen, double configured, string policy) =>
        Assert.Equal(policy, await PolicyOfAsync(await ServiceAsync(chosen, new ServingOptions { Explore = configured })));

    [Fact]
    public async Task ConfiguredExploreZeroAndPoliciesWhoseRateMeansSomethingElseIgnoreTheChosenRate()
    {
        Assert.Equal("uncertainty(0)", await PolicyOfAsync(await ServiceAsync(0.23, new ServingOptions { Explore = 0 })));
        var thompson = _shop.Service(new ServingOptions { ExplorationPolicy = ExplorationPolicies.Thompson, Explore = 1 });
        await thompson.RefreshAsync();
        Assert.Equal("thompson(1)", await PolicyOfAsync(thompson));
    }
}
