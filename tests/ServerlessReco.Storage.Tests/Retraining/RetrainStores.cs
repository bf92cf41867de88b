using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Storage.Tests.Azure;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Retraining;

public sealed class FolderRetrainTests : RetrainContract
{
    private readonly TemporaryFolder _models = new();

    protected override Task<IModelBlobStore> CreateStoreAsync() =>
        Task.FromResult<IModelBlobStore>(new FolderModelBlobStore(_models.Path));

    public override void Dispose()
    {
        _models.Dispose();
        base.Dispose();
    }
}

public sealed class BlobRetrainTests : RetrainContract
{
    private readonly List<string> _containers = [];

    protected override async Task<IModelBlobStore> CreateStoreAsync()
    {
        var options = BlobEmulator.FreshOptions();
        _containers.Add(options.Container);
        return await BlobModelStore.CreateAsync(BlobEmulator.Client, options, Cancel);
    }

    public override void Dispose()
    {
        foreach (var name in _containers)
        {
            BlobEmulator.Client.GetBlobContainerClient(name).DeleteIfExists();
        }

        base.Dispose();
    }
}

public sealed class EmbeddedTrainingSegmentsTests : TrainingSegmentsContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<SegmentStores> CreateStoresAsync(UserPseudonymiser pseudonyms)
    {
        var database = new SqliteDatabase(Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.db"));
        return Task.FromResult(new SegmentStores(
            new PseudonymisingEventStore(new SqliteEventStore(database, RetentionPolicy.Forever), pseudonyms),
            new SqliteServedListStore(database, RetentionPolicy.Forever),
            new SqliteItemStore(database),
            new FolderModelBlobStore(Path.Combine(_folder.Path, $"models-{Guid.NewGuid():N}"))));
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class EmulatorTrainingSegmentsTests : TrainingSegmentsContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();
    private readonly List<string> _containers = [];

    protected override async Task<SegmentStores> CreateStoresAsync(UserPseudonymiser pseudonyms)
    {
        var cosmos = await _databases.CreateAsync(RetentionPolicy.Forever);
        var blob = BlobEmulator.FreshOptions();
        _containers.Add(blob.Container);
        return new SegmentStores(
            new PseudonymisingEventStore(new CosmosEventStore(cosmos.Events, RetentionPolicy.Forever), pseudonyms),
            new CosmosServedListStore(cosmos.ServedLists, RetentionPolicy.Forever),
            new CosmosItemStore(cosmos.Items),
            await BlobModelStore.CreateAsync(BlobEmulator.Client, blob, TestContext.Current.CancellationToken));
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
