using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.LocalHost;

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
        var client = CosmosEmulator.Client;
        var cosmos = CosmosEmulator.FreshOptions();
        await using var app = LocalFunctionsHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Cosmos:Endpoint={cosmos.Endpoint}",
            $"--Cosmos:Key={cosmos.Key}",
            $"--Cosmos:Database={cosmos.Database}",
            "--Cosmos:ConnectionMode=Gateway",
            "--Cosmos:LimitToEndpoint=true",
            $"--Reco:PseudonymKey={EmulatorSettings.PseudonymKey}",
        ]);
        await app.StartAsync(Cancel);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            const string batch = """
                [{"eventId":"c-1","userId":"cosmos-user","itemId":"sku-1","type":"view"},
                 {"eventId":"c-2","userId":"cosmos-user","itemId":"sku-2","type":"purchase"},
                 {"eventId":"c-3","userId":"other-user","itemId":"sku-1","type":"click"}]
                """;

            var first = await http.PostAsync("/api/events", new StringContent(batch, Encoding.UTF8, "application/json"), Cancel);
            var second = await http.PostAsync("/api/events", new StringContent(batch, Encoding.UTF8, "application/json"), Cancel);

            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(3, (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("stored").GetInt32());
            Assert.Equal(3, (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("duplicates").GetInt32());
            Assert.IsType<CosmosEventStore>(Assert.IsType<PseudonymisingEventStore>(app.Services.GetRequiredService<IEventStore>()).Inner);

            // Read the container directly, not through our store: the documents are really there, in the partition of the user's pseudonym.
            var container = client.GetContainer(cosmos.Database, cosmos.EventsContainer);
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
        finally
        {
            await app.StopAsync(Cancel);
            await client.GetDatabase(cosmos.Database).DeleteAsync(cancellationToken: Cancel);
        }
    }
}
