using ServerlessReco.Azure.Blob;
using ServerlessReco.Core.Storage;
using ServerlessReco.Storage.Tests.Contracts;

namespace ServerlessReco.Storage.Tests.Azure;

public sealed class BlobModelStoreTests : ModelBlobStoreContract, IAsyncDisposable
{
    private readonly List<string> _containers = [];

    protected override async Task<IModelBlobStore> CreateStoreAsync()
    {
        var service = BlobEmulator.Client;
        var options = BlobEmulator.FreshOptions();
        _containers.Add(options.Container);
        return await BlobModelStore.CreateAsync(service, options, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _containers)
        {
            await BlobEmulator.Client.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }
    }
}
