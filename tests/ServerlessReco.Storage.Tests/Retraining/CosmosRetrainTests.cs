using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.Azure;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// Retraining as it runs in Azure: events in Cosmos DB (the test server), models in Blob storage (Azurite). The
/// watermark's "anything newer?" is a range query on the indexed /ts there, so it is checked against it too.
/// </summary>
public sealed class CosmosRetrainTests : IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();
    private readonly List<string> _containers = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheFirstRunPromotesTheSecondSkipsAndANewEventRetrains()
    {
        var cosmos = await _databases.CreateAsync(RetentionPolicy.Forever);
        var events = new CosmosEventStore(cosmos.Events, RetentionPolicy.Forever);
        var blob = BlobEmulator.FreshOptions();
        _containers.Add(blob.Container);
        var registry = new ModelRegistry(await BlobModelStore.CreateAsync(BlobEmulator.Client, blob, Cancel), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await SampleShop.Generate(42, now, items: 120, users: 150, events: 1500).StoreAsync(new CosmosItemStore(cosmos.Items), events, Cancel);
        var service = new RetrainService(events, new CosmosServedListStore(cosmos.ServedLists, RetentionPolicy.Forever), registry, new RetrainOptions(), TimeProvider.System, new ListLogger());

        var first = await service.RunAsync(Cancel);
        var second = await service.RunAsync(Cancel);
        await events.AppendAsync(
            [new BehaviorEvent { EventId = "late-1", UserId = "user-0001", ItemId = "sku-00001", Type = EventType.Purchase, Timestamp = now }], Cancel);
        var third = await service.RunAsync(Cancel);

        Assert.True(first.Outcome == RetrainOutcome.Promoted, first.ToString());
        Assert.Equal(RetrainOutcome.Skipped, second.Outcome);
        Assert.NotEqual(RetrainOutcome.Skipped, third.Outcome);
        Assert.Equal(first.Version, third.ChampionVersion);
        Assert.Equal(2, (await registry.ListAsync(Cancel)).Count);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _containers)
        {
            await BlobEmulator.Client.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        await _databases.DisposeAsync();
    }
}
