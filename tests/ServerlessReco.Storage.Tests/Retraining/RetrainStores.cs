using ServerlessReco.Azure.Blob;
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
