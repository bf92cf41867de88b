using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Hosting;
using ServerlessReco.Lab.Samples;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>Serving over Cosmos DB (events, catalogue) and Blob storage (models) in their emulators.</summary>
public sealed class ServingOverAzureTests : IAsyncDisposable
{
    private ServiceProvider? _provider;
    private string? _database;
    private string? _container;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<ServiceProvider> StartAsync()
    {
        var cosmos = CosmosEmulator.FreshOptions();
        _ = CosmosEmulator.Client;
        var blobs = BlobEmulator.FreshOptions();
        _ = BlobEmulator.Client;
        (_database, _container) = (cosmos.Database, blobs.Container);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(EmulatorSettings.For(cosmos, blobs, retentionDays: 0)).Build();
        _provider = new ServiceCollection().AddRecoCore(configuration).BuildServiceProvider();
        await HostStart.RunAsync(_provider, Cancel);
        return _provider;
    }

    private static async Task PublishAsync(IModelBlobStore store, string version, ModelArtifact artifact)
    {
        using (var bytes = new MemoryStream())
        {
            artifact.Save(bytes);
            bytes.Position = 0;
            await store.PutAsync(ModelBlobNames.Artifact(version), bytes, BlobCondition.None, Cancel);
        }

        var pointer = new ModelPointer { Version = version, ArtifactBlob = ModelBlobNames.Artifact(version), PromotedAt = DateTimeOffset.UtcNow };
        using var json = new MemoryStream(pointer.ToJson());
        await store.PutAsync(ModelBlobNames.Current, json, BlobCondition.None, Cancel);
    }

    [Fact]
    public async Task CatalogueWritesAreServedAfterRefreshesThatReadOnlyTheChangesFromCosmos()
    {
        var services = await StartAsync();
        var items = new CountingItemStore(services.GetRequiredService<IItemStore>());
        var events = services.GetRequiredService<IEventStore>();
        var shop = SampleShop.Generate(13, DateTimeOffset.UtcNow, items: 60, users: 40, events: 400);
        await shop.StoreAsync(items, events, Cancel);
        var options = new ServingOptions();
        var service = new RecommendationService(new ModelCache(services.GetRequiredService<IModelBlobStore>(), options), items, events, services.GetRequiredService<IServedListStore>(), options);
        await service.RefreshAsync();
        var trending = (await service.TrendingAsync(null, 10, Cancel)).Items.Select(i => i.ItemId).ToList();

        // _ts has whole seconds and the boundary second is read again: each write lands in a second of its own, so the
        // last read holds exactly the two items written at or after the previous cursor.
        var (first, second) = (trending[0], trending[1]);
        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        await items.UpsertAsync([shop.Items.Single(i => i.ItemId == first) with { Available = false }], Cancel);
        await service.RefreshAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        var readBefore = items.ItemsReadSince;
        await items.UpsertAsync([shop.Items.Single(i => i.ItemId == second) with { Available = false }], Cancel);
        await service.RefreshAsync();
        var after = (await service.TrendingAsync(null, 60, Cancel)).Items.Select(i => i.ItemId).ToList();

        Assert.Equal(1, items.FullReads);
        Assert.Equal(2, items.IncrementalReads);
        Assert.Equal(2, items.ItemsReadSince - readBefore);
        Assert.DoesNotContain(first, after);
        Assert.DoesNotContain(second, after);
        Assert.NotEmpty(after);
    }

    [Fact]
    public async Task FreshEventsUnavailableItemsAndAHotSwapWorkOverCosmosAndBlob()
    {
        var services = await StartAsync();
        var events = services.GetRequiredService<IEventStore>();
        var items = services.GetRequiredService<IItemStore>();
        var models = services.GetRequiredService<IModelBlobStore>();
        var shop = SampleShop.Generate(11, DateTimeOffset.UtcNow, items: 120, users: 150, events: 1500);
        await shop.StoreAsync(items, events, Cancel);
        var artifact = await Trainer.TrainAsync(events.ReadAllAsync(cancellationToken: Cancel), new TrainerOptions(), cancellationToken: Cancel);
        var options = new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(50) };
        var service = new RecommendationService(new ModelCache(models, options), items, events, services.GetRequiredService<IServedListStore>(), options);

        // No model yet: 200-style answer from popularity.
        var user = shop.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal(ServingSource.PopularityFallback, (await service.RecommendAsync(new RecommendationRequest(user), Cancel)).Source);

        await PublishAsync(models, "v1", artifact);
        await service.RefreshAsync();
        var before = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        Assert.Equal("v1", before.ModelVersion);

        // A purchase recorded now changes the next list and is not recommended again.
        var bought = before.Items[0].ItemId;
        await events.AppendAsync([new BehaviorEvent { EventId = "fresh-1", UserId = user, ItemId = bought, Type = EventType.Purchase, Timestamp = DateTimeOffset.UtcNow.AddSeconds(-1) }], Cancel);
        var after = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        Assert.DoesNotContain(after.Items, i => i.ItemId == bought);

        // An item withdrawn from the catalogue is never served.
        var withdrawn = after.Items[0].ItemId;
        await items.UpsertAsync([shop.Items.Single(i => i.ItemId == withdrawn) with { Available = false }], Cancel);
        await service.RefreshAsync();
        foreach (var u in shop.UserIds.Take(20).Append(user))
        {
            Assert.DoesNotContain((await service.RecommendAsync(new RecommendationRequest(u), Cancel)).Items, i => i.ItemId == withdrawn);
        }

        // Promote v2 while requests run: none fails, each sees v1 then v2, never back.
        var seen = new ConcurrentQueue<(int Worker, int Sequence, string? Version)>();
        var promoted = DateTimeOffset.MaxValue;
        async Task Worker(int worker)
        {
            for (var sequence = 0; ; sequence++)
            {
                var list = await service.RecommendAsync(new RecommendationRequest(shop.UserIds[(worker * 7 + sequence) % shop.UserIds.Count]), Cancel);
                Assert.Equal(10, list.Items.Count);
                seen.Enqueue((worker, sequence, list.ModelVersion));
                if (list.ModelVersion == "v2" && DateTimeOffset.UtcNow - promoted > TimeSpan.FromMilliseconds(300))
                {
                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Worker(w), Cancel)).ToArray();
        await Task.Delay(200, Cancel);
        await PublishAsync(models, "v2", artifact);
        promoted = DateTimeOffset.UtcNow;
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), Cancel);

        foreach (var worker in seen.GroupBy(s => s.Worker))
        {
            var versions = worker.OrderBy(s => s.Sequence).Select(s => s.Version).ToList();
            var firstV2 = versions.IndexOf("v2");
            Assert.All(versions.Take(firstV2), v => Assert.Equal("v1", v));
            Assert.All(versions.Skip(firstV2), v => Assert.Equal("v2", v));
        }
    }

    [Fact]
    public async Task ADamagedArtifactInBlobStorageIsRefusedOnceAndTheServingModelStays()
    {
        var services = await StartAsync();
        var models = services.GetRequiredService<IModelBlobStore>();
        var shop = SampleShop.Generate(12, DateTimeOffset.UtcNow, items: 60, users: 80, events: 600);
        var artifact = await Trainer.TrainAsync(shop.Events.ToAsyncEnumerable(), new TrainerOptions(), cancellationToken: Cancel);
        await PublishAsync(models, "v1", artifact);
        var log = new Microsoft.Extensions.Logging.Testing.FakeLogger<ModelCache>();
        var cache = new ModelCache(models, new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(1) }, logger: log);
        Assert.Equal("v1", (await cache.RefreshAsync())?.Version);

        await PublishAsync(models, "v2", artifact);
        byte[] bytes;
        using (var download = (await models.GetAsync(ModelBlobNames.Artifact("v2"), Cancel))!)
        using (var buffer = new MemoryStream())
        {
            await download.Content.CopyToAsync(buffer, Cancel);
            bytes = buffer.ToArray();
        }

        bytes[bytes.Length / 2] ^= 0x01;
        await models.PutAsync(ModelBlobNames.Artifact("v2"), new MemoryStream(bytes), BlobCondition.None, Cancel);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("v1", (await cache.RefreshAsync())?.Version);
        }

        // Refused once, with its reason; the later checks saw the same pointer and blob and did not load it again.
        var refusal = Assert.Single(log.Collector.GetSnapshot(), r => r.Message.StartsWith("Serving refused model version v2", StringComparison.Ordinal));
        Assert.Contains("SHA-256", refusal.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
            await CosmosEmulator.Client.GetDatabase(_database).DeleteAsync(cancellationToken: default);
            await BlobEmulator.Client.GetBlobContainerClient(_container).DeleteIfExistsAsync(cancellationToken: default);
        }
    }
}
