using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Access;
using ServerlessReco.Hosting.Tokens;
using ServerlessReco.Storage.Tests.LocalHosts;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// Shopper tokens through the local host configured for Azure (tokens required), on the Cosmos DB test server: a token
/// records its own shopper's events, a batch with another user's event stores nothing, and no token is a 401.
/// </summary>
public sealed class ShopperTokensOnCosmosTests
{
    /// <summary>A test signing key, as ShopperTokens:SigningKeys reads it.</summary>
    private const string TokenKey = "c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AShopperRecordsOnlyItsOwnEventsInCosmosDbAndAMixedBatchStoresNothing()
    {
        await using var stores = EmulatorStores.Fresh();
        await using var host = await StartedLocalHost.StartAsync(
            [.. stores.Settings(), "--ShopperTokens:Required=true", $"--ShopperTokens:SigningKeys=k1:{TokenKey}"], Cancel);
        var http = host.Http;
        var token = new ShopperTokens(ShopperTokenKeys.Parse($"k1:{TokenKey}")).Mint("token-user", ShopperScopes.All, TimeSpan.FromHours(1));

        using var own = await SendAsync(http, HttpMethod.Post, """[{"eventId":"t-1","userId":"token-user","itemId":"sku-1","type":"view"}]""", token);
        using var mixed = await SendAsync(http, HttpMethod.Post, """[{"eventId":"t-2","userId":"token-user","itemId":"sku-2","type":"view"},{"eventId":"t-3","userId":"other-user","itemId":"sku-2","type":"view"}]""", token);
        using var none = await SendAsync(http, HttpMethod.Post, """{"eventId":"t-4","userId":"token-user","itemId":"sku-3","type":"view"}""", null);
        using var foreignList = await SendAsync(http, HttpMethod.Get, null, token, "/api/users/other-user/recommendations");

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignList.StatusCode);

        // Read the container directly, every partition: only the event of the token's own batch is there.
        var query = CosmosEmulator.Client.GetContainer(stores.Cosmos.Database, stores.Cosmos.EventsContainer).GetItemQueryIterator<JsonElement>(new QueryDefinition("SELECT * FROM c"));
        var documents = new List<JsonElement>();
        while (query.HasMoreResults)
        {
            documents.AddRange(await query.ReadNextAsync(Cancel));
        }

        Assert.Equal(["t-1"], documents.Select(d => d.GetProperty("eventId").GetString()));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string? body, string? token, string path = "/api/events")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, Cancel);
    }
}
