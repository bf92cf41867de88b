using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Storage.Tests.Azure;

namespace ServerlessReco.Storage.Tests.Privacy;

/// <summary>
/// The raw user id never reaches a Cosmos DB document (read from the test server's containers directly, not
/// through our store), a blob in Azurite, or the log.
/// </summary>
public sealed class RawUserIdsInAzureStorageTests : IAsyncDisposable
{
    private CosmosStoreOptions? _cosmos;
    private BlobStoreOptions? _blobs;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoDocumentNoBlobNorTheLogHoldsTheRawUserId()
    {
        var cosmosClient = CosmosEmulator.Client;
        var blobClient = BlobEmulator.Client;
        (_cosmos, _blobs) = (CosmosEmulator.FreshOptions(), BlobEmulator.FreshOptions());
        var settings = EmulatorSettings.For(_cosmos, _blobs, retentionDays: 365).Select(s => $"--{s.Key}={s.Value}");

        var outcome = await RawUserIdJourney.RunAsync(settings, Cancel);

        outcome.AssertPersonalisedThenErasedAndForgotten();
        outcome.AssertTheLogNeverNamesTheShopper();
        var events = await DocumentsAsync(cosmosClient.GetContainer(_cosmos.Database, _cosmos.EventsContainer));
        Assert.True(JourneyOutcome.Contains(events, outcome.PseudonymOfAnotherShopper), "The search did not find a pseudonym that is stored.");
        JourneyOutcome.AssertNeverIn(events, "the events container");
        JourneyOutcome.AssertNeverIn(await DocumentsAsync(cosmosClient.GetContainer(_cosmos.Database, _cosmos.ItemsContainer)), "the items container");

        var container = blobClient.GetBlobContainerClient(_blobs.Container);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Cancel))
        {
            names.Add(blob.Name);
            var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(Cancel);
            JourneyOutcome.AssertNeverIn(content.Value.Content.ToArray(), $"blob {blob.Name}");
            JourneyOutcome.AssertNeverIn(Encoding.UTF8.GetBytes(blob.Name), "a blob name");
        }

        Assert.Contains(names, n => n.EndsWith("model.bin", StringComparison.Ordinal));
    }

    /// <summary>Every document of the container as the server returns it, across partitions.</summary>
    private static async Task<byte[]> DocumentsAsync(Container container)
    {
        var all = new List<JsonElement>();
        using var query = container.GetItemQueryIterator<JsonElement>(new QueryDefinition("SELECT * FROM c"));
        while (query.HasMoreResults)
        {
            all.AddRange(await query.ReadNextAsync(Cancel));
        }

        Assert.NotEmpty(all);
        return JsonSerializer.SerializeToUtf8Bytes(all);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cosmos is not null)
        {
            await CosmosEmulator.Client.GetDatabase(_cosmos.Database).DeleteAsync(cancellationToken: default);
        }

        if (_blobs is not null)
        {
            await BlobEmulator.Client.GetBlobContainerClient(_blobs.Container).DeleteIfExistsAsync(cancellationToken: default);
        }
    }
}
