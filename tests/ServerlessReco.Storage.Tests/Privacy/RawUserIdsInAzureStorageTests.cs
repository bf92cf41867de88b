using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Storage.Tests.Azure;

namespace ServerlessReco.Storage.Tests.Privacy;

/// <summary>
/// The raw user id never reaches a Cosmos DB document (read from the test server's containers directly, not
/// through our store), a blob in Azurite, or the log.
/// </summary>
public sealed class RawUserIdsInAzureStorageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoDocumentNoBlobNorTheLogHoldsTheRawUserId()
    {
        await using var stores = EmulatorStores.Fresh();

        var outcome = await RawUserIdJourney.RunAsync(stores.Settings(retentionDays: 365), Cancel);

        outcome.AssertPersonalisedThenErasedAndForgotten();
        outcome.AssertTheLogNeverNamesTheShopper();
        var cosmos = CosmosEmulator.Client;
        var events = await DocumentsAsync(cosmos.GetContainer(stores.Cosmos.Database, stores.Cosmos.EventsContainer));
        Assert.True(JourneyOutcome.Contains(events, outcome.PseudonymOfAnotherShopper), "The search did not find a pseudonym that is stored.");
        JourneyOutcome.AssertNeverIn(events, "the events container");
        JourneyOutcome.AssertNeverIn(await DocumentsAsync(cosmos.GetContainer(stores.Cosmos.Database, stores.Cosmos.ItemsContainer)), "the items container");

        var container = BlobEmulator.Client.GetBlobContainerClient(stores.Blobs.Container);
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
}
