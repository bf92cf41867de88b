using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>The container layout and the time-to-live settings, read back from the server.</summary>
public sealed class CosmosSchemaTests : IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContainersArePartitionedByUserAndById()
    {
        var containers = await _databases.CreateAsync(new RetentionPolicy(30));

        var events = (await containers.Events.ReadContainerAsync(cancellationToken: Cancel)).Resource;
        var items = (await containers.Items.ReadContainerAsync(cancellationToken: Cancel)).Resource;

        Assert.Equal("/userId", events.PartitionKeyPath);
        Assert.Equal("/id", items.PartitionKeyPath);
    }

    [Fact]
    public async Task EventsExpireAfterTheRetentionPeriodByDefault()
    {
        var containers = await _databases.CreateAsync(new RetentionPolicy(30));

        var events = (await containers.Events.ReadContainerAsync(cancellationToken: Cancel)).Resource;

        Assert.Equal(30 * 86_400, events.DefaultTimeToLive);
    }

    [Fact]
    public async Task KeepingEventsForeverLeavesExpiryOnWithoutADefault()
    {
        var containers = await _databases.CreateAsync(RetentionPolicy.Forever);

        var events = (await containers.Events.ReadContainerAsync(cancellationToken: Cancel)).Resource;

        Assert.Equal(-1, events.DefaultTimeToLive);
    }

    [Fact]
    public async Task OnlyTheQueriedPathsOfEventsAreIndexed()
    {
        var containers = await _databases.CreateAsync(new RetentionPolicy(30));

        var policy = (await containers.Events.ReadContainerAsync(cancellationToken: Cancel)).Resource.IndexingPolicy;

        Assert.Equal(["/ts/?", "/type/?", "/userId/?"], policy.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains(policy.ExcludedPaths, p => p.Path == "/*");
    }

    [Fact]
    public void ServedListsAreAContainerOfTheirOwnWithTheirOwnTimeToLive()
    {
        var properties = CosmosSchema.ServedListsContainerProperties("servedLists", new RetentionPolicy(30));

        Assert.Equal("/userId", properties.PartitionKeyPath);
        Assert.Equal(30 * 86_400, properties.DefaultTimeToLive);
        Assert.Equal(["/ts/?", "/userId/?"], properties.IndexingPolicy.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AChangedRetentionUpdatesTheContainerAndKeepsItsEvents()
    {
        var options = CosmosEmulator.FreshOptions();
        var first = await _databases.CreateAsync(new RetentionPolicy(30), options);
        await new CosmosEventStore(first.Events, new RetentionPolicy(30)).AppendAsync([Event("u1", "i1", "e1")], Cancel);

        var second = await _databases.CreateAsync(new RetentionPolicy(90), options);

        var events = (await second.Events.ReadContainerAsync(cancellationToken: Cancel)).Resource;
        Assert.Equal(90 * 86_400, events.DefaultTimeToLive);
        Assert.Equal(1, await new CosmosEventStore(second.Events, new RetentionPolicy(90)).CountAsync(Cancel));
    }

    [Fact]
    public async Task WithoutLeaveToCreateAMissingContainerIsAnError()
    {
        var options = CosmosEmulator.FreshOptions();
        options.CreateIfMissing = false;

        var error = await Assert.ThrowsAsync<CosmosException>(() => _databases.CreateAsync(new RetentionPolicy(30), options));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task EachEventLivesOnlyWhatItsAgeLeaves()
    {
        var retention = new RetentionPolicy(30);
        var containers = await _databases.CreateAsync(retention);
        var tenDaysOld = Event("u1", "i1", "e1", TimeSpan.FromDays(10));

        await new CosmosEventStore(containers.Events, retention).AppendAsync([tenDaysOld], Cancel);

        var document = (await containers.Events.ReadItemAsync<JsonElement>("e1", new PartitionKey("u1"), cancellationToken: Cancel)).Resource;
        var expected = retention.SecondsToLive(tenDaysOld.Timestamp, DateTimeOffset.UtcNow)!.Value;
        Assert.InRange(document.GetProperty("ttl").GetInt32(), expected - 60, expected + 60);
        Assert.Equal(tenDaysOld.Timestamp.ToUnixTimeMilliseconds(), document.GetProperty("ts").GetInt64());
        Assert.Equal("e1", document.GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task EventsKeptForeverCarryNoTimeToLive()
    {
        var containers = await _databases.CreateAsync(RetentionPolicy.Forever);

        await new CosmosEventStore(containers.Events, RetentionPolicy.Forever).AppendAsync([Event("u1", "i1", "e1")], Cancel);

        var document = (await containers.Events.ReadItemAsync<JsonElement>("e1", new PartitionKey("u1"), cancellationToken: Cancel)).Resource;
        Assert.False(document.TryGetProperty("ttl", out _));
    }

    [Fact]
    public async Task OneEventWriteReportsItsRequestCharge()
    {
        var retention = new RetentionPolicy(30);
        var containers = await _databases.CreateAsync(retention);
        var store = new CosmosEventStore(containers.Events, retention);

        await store.AppendAsync([Event("u1", "i1", "e1")], Cancel);

        // The figure that matters is the one Azure reports; the test server answers 1 RU for every request.
        TestContext.Current.TestOutputHelper?.WriteLine($"Request charge of one event write: {store.RequestCharge} RU");
        Assert.True(store.RequestCharge > 0);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
