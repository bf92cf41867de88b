using ServerlessReco.Azure.Blob;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Storage.Tests.Azure;
using ServerlessReco.Storage.Tests.Contracts;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Retraining;

public sealed class FolderRetrainLeaseTests : RetrainLeaseContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IModelBlobStore> CreateStoreAsync() =>
        Task.FromResult<IModelBlobStore>(new FolderModelBlobStore(_folder.Path));

    public void Dispose() => _folder.Dispose();
}

public sealed class BlobRetrainLeaseTests : RetrainLeaseContract, IAsyncDisposable
{
    private readonly List<string> _containers = [];

    protected override async Task<IModelBlobStore> CreateStoreAsync()
    {
        var options = BlobEmulator.FreshOptions();
        _containers.Add(options.Container);
        return await BlobModelStore.CreateAsync(BlobEmulator.Client, options, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _containers)
        {
            await BlobEmulator.Client.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }
    }
}
