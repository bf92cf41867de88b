using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// The fixes tests/emulators/cosmos-server.js applies to the Cosmos DB test server, pinned down so that a
/// server upgrade that breaks them shows here first rather than as a puzzling store failure.
/// </summary>
public sealed class CosmosTestServerTests : IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<Container> EventsAsync(RetentionPolicy? retention = null) =>
        (await _databases.CreateAsync(retention ?? RetentionPolicy.Forever)).Events;

    private static object Doc(string id, string userId, int? ttl = null) =>
        ttl is null ? new { id, userId } : new { id, userId, ttl };

    [Fact]
    public async Task ReadingAMissingItemIsNotFound()
    {
        var events = await EventsAsync();

        var error = await Assert.ThrowsAsync<CosmosException>(() => events.ReadItemAsync<JsonElement>("nope", new PartitionKey("u1"), cancellationToken: Cancel));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeletingAMissingItemIsNotFound()
    {
        var events = await EventsAsync();

        using var response = await events.DeleteItemStreamAsync("nope", new PartitionKey("u1"), cancellationToken: Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnItemIsOnlyFoundInItsOwnPartition()
    {
        var events = await EventsAsync();
        await events.CreateItemAsync(Doc("e1", "u1"), new PartitionKey("u1"), cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<CosmosException>(() => events.ReadItemAsync<JsonElement>("e1", new PartitionKey("u2"), cancellationToken: Cancel));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ASinglePartitionQuerySeesOnlyThatPartition()
    {
        var events = await EventsAsync();
        await events.CreateItemAsync(Doc("e1", "u1"), new PartitionKey("u1"), cancellationToken: Cancel);
        await events.CreateItemAsync(Doc("e2", "u2"), new PartitionKey("u2"), cancellationToken: Cancel);

        var ids = await QueryIdsAsync(events, new QueryRequestOptions { PartitionKey = new PartitionKey("u1") });

        Assert.Equal(["e1"], ids);
        Assert.Equal(["e1", "e2"], (await QueryIdsAsync(events, new QueryRequestOptions())).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ItemsExpireByTheirOwnTimeToLiveOrNever()
    {
        var events = await EventsAsync(new RetentionPolicy(1));
        await events.CreateItemAsync(Doc("short", "u1", ttl: 1), new PartitionKey("u1"), cancellationToken: Cancel);
        await events.CreateItemAsync(Doc("never", "u1", ttl: -1), new PartitionKey("u1"), cancellationToken: Cancel);
        await events.CreateItemAsync(Doc("default", "u1"), new PartitionKey("u1"), cancellationToken: Cancel);

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        List<string> ids;
        do
        {
            await Task.Delay(250, Cancel);
            ids = await QueryIdsAsync(events, new QueryRequestOptions());
        }
        while (ids.Contains("short") && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(["default", "never"], ids.Order(StringComparer.Ordinal));
        using var read = await events.ReadItemStreamAsync("short", new PartitionKey("u1"), cancellationToken: Cancel);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task ContainerExpiryAppliesToItemsWithoutTheirOwn()
    {
        var events = await EventsAsync();
        var properties = (await events.ReadContainerAsync(cancellationToken: Cancel)).Resource;
        properties.DefaultTimeToLive = 1;
        await events.ReplaceContainerAsync(properties, cancellationToken: Cancel);
        await events.CreateItemAsync(Doc("default", "u1"), new PartitionKey("u1"), cancellationToken: Cancel);

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        List<string> ids;
        do
        {
            await Task.Delay(250, Cancel);
            ids = await QueryIdsAsync(events, new QueryRequestOptions { PartitionKey = new PartitionKey("u1") });
        }
        while (ids.Count > 0 && DateTimeOffset.UtcNow < deadline);

        Assert.Empty(ids);
    }

    [Fact]
    public async Task ReplacingAContainerKeepsItsItems()
    {
        var events = await EventsAsync();
        await events.CreateItemAsync(Doc("e1", "u1"), new PartitionKey("u1"), cancellationToken: Cancel);
        var properties = (await events.ReadContainerAsync(cancellationToken: Cancel)).Resource;
        properties.DefaultTimeToLive = 3600;

        await events.ReplaceContainerAsync(properties, cancellationToken: Cancel);

        Assert.Equal(["e1"], await QueryIdsAsync(events, new QueryRequestOptions()));
    }

    private static async Task<List<string>> QueryIdsAsync(Container container, QueryRequestOptions options)
    {
        var ids = new List<string>();
        using var iterator = container.GetItemQueryIterator<string>(new QueryDefinition("SELECT VALUE c.id FROM c"), requestOptions: options);
        while (iterator.HasMoreResults)
        {
            ids.AddRange(await iterator.ReadNextAsync(Cancel));
        }

        return ids;
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
