using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// The exploration rate a real retrain chose, on the embedded store and on the emulators: stored in the version's record
/// with its evidence and the new-item promise's figure, and carried by the version's artifact, where serving reads it.
/// </summary>
public abstract partial class TrainingSegmentsContract
{
    [Fact]
    public async Task EachRetrainStoresTheExplorationRateItChoseWithTheVersionForServingToRead()
    {
        var (stores, shop) = await LoadShopAsync();
        await ShowListsAsync(stores, shop, lists: 200);

        var registry = new ModelRegistry(stores.Models, TimeProvider.System);
        var result = await new RetrainService(stores.Events, stores.ServedLists, registry, new RetrainOptions(), TimeProvider.System, new ListLogger(), items: stores.Items).RunAsync(Cancel);

        var choice = result.Record!.ExplorationRate!;
        Assert.Equal(0.1, choice.PreviousRate); // the first version starts from the configured rate
        Assert.Equal(0.1, choice.ConfiguredRate); // and holds while that is the configured rate
        Assert.InRange(choice.Rate, 0.02, 0.3);
        Assert.Equal(1200, choice.Slots);
        Assert.Equal(3, choice.Evidence.Count);
        Assert.NotNull(choice.NewItems); // the catalogue told the items' creation
        var stored = (await registry.ReadMetricsAsync(result.Version!, Cancel))!.ExplorationRate!;
        Assert.Equal(choice.Reason, stored.Reason);
        Assert.Equal(choice.Evidence, stored.Evidence);
        var artifact = (await registry.LoadAsync(result.Version!, Cancel))!;
        var served = new ServingModel(new ModelPointer { Version = result.Version!, ArtifactBlob = ModelBlobNames.Artifact(result.Version!), PromotedAt = DateTimeOffset.UtcNow }, "tag", new Core.Recommendation.Recommender(artifact), DateTimeOffset.UtcNow);
        Assert.Equal(choice.Rate, served.ExplorationRate!.Rate);
        Assert.Equal(choice.Rate, new ServingOptions().ChosenRate(served)!.Rate);
    }

    [Fact]
    public async Task WithTheRateFixedNoRetrainChoosesOne()
    {
        var (stores, shop) = await LoadShopAsync();
        await ShowListsAsync(stores, shop, lists: 200);

        var result = await Retrain(stores, options: new RetrainOptions { AdaptiveRate = new AdaptiveRateOptions { Enabled = false } }).RunAsync(Cancel);

        Assert.Null(result.Record!.ExplorationRate);
        var artifact = (await new ModelRegistry(stores.Models, TimeProvider.System).LoadAsync(result.Version!, Cancel))!;
        Assert.False(artifact.Attachments.ContainsKey(ExplorationRateChoice.AttachmentName));
    }
}
