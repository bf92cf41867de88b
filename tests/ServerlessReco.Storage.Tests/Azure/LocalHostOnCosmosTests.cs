using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Storage.Tests.LocalHosts;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// The whole way in, configured for Azure: events posted over HTTP to the local host land in the Cosmos DB
/// test server, once, in the user's partition.
/// </summary>
public sealed class LocalHostOnCosmosTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventsPostedToTheLocalHostLandInCosmosDbOnce()
    {
        await using var stores = EmulatorStores.Fresh();
        await using var host = await StartedLocalHost.StartAsync(stores.Settings(), Cancel);
        const string batch = """
            [{"eventId":"c-1","userId":"cosmos-user","itemId":"sku-1","type":"view"},
             {"eventId":"c-2","userId":"cosmos-user","itemId":"sku-2","type":"purchase"},
             {"eventId":"c-3","userId":"other-user","itemId":"sku-1","type":"click"}]
            """;

        var first = await host.Http.PostAsync("/api/events", new StringContent(batch, Encoding.UTF8, "application/json"), Cancel);
        var second = await host.Http.PostAsync("/api/events", new StringContent(batch, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(3, (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("stored").GetInt32());
        Assert.Equal(3, (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("duplicates").GetInt32());
        Assert.IsType<CosmosEventStore>(Assert.IsType<PseudonymisingEventStore>(host.Services.GetRequiredService<IEventStore>()).Inner);

        // Read the container directly, not through our store: the documents are really there, in the partition of the user's pseudonym.
        var container = CosmosEmulator.Client.GetContainer(stores.Cosmos.Database, stores.Cosmos.EventsContainer);
        var query = container.GetItemQueryIterator<JsonElement>(
            new QueryDefinition("SELECT * FROM c"),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(UserPseudonymiser.FromBase64(EmulatorSettings.PseudonymKey).Pseudonymise("cosmos-user")) });
        var documents = new List<JsonElement>();
        while (query.HasMoreResults)
        {
            documents.AddRange(await query.ReadNextAsync(Cancel));
        }

        Assert.Equal(["c-1", "c-2"], documents.Select(d => d.GetProperty("eventId").GetString()).Order());
    }
}
