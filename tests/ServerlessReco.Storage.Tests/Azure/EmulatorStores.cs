using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// A Cosmos DB database and a blob container on the emulators that no other test uses, the settings that point a host
/// at them (<see cref="EmulatorSettings"/>), and both deleted on dispose. Skips the test (or fails it, when the
/// emulators are required) without them.
/// </summary>
internal sealed class EmulatorStores : IAsyncDisposable
{
    private EmulatorStores()
    {
        _ = CosmosEmulator.Client; // skips (or fails) here, before anything is created, when the test server is not there
        _ = BlobEmulator.Client;
    }

    public CosmosStoreOptions Cosmos { get; } = CosmosEmulator.FreshOptions();

    public BlobStoreOptions Blobs { get; } = BlobEmulator.FreshOptions();

    public static EmulatorStores Fresh() => new();

    /// <summary>The host settings as command-line arguments (<c>--Cosmos:Endpoint=...</c>).</summary>
    public IEnumerable<string> Settings(int retentionDays = 0) =>
        EmulatorSettings.For(Cosmos, Blobs, retentionDays).Select(s => $"--{s.Key}={s.Value}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CosmosEmulator.Client.GetDatabase(Cosmos.Database).DeleteAsync();
        }
        catch (Microsoft.Azure.Cosmos.CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // never created: the host did not get as far as its first write
        }

        await BlobEmulator.Client.GetBlobContainerClient(Blobs.Container).DeleteIfExistsAsync();
    }
}
