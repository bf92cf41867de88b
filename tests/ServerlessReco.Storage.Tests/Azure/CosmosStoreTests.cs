using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Storage.Tests.Contracts;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>Databases created by one test instance, deleted when it is disposed.</summary>
internal sealed class CosmosDatabases : IAsyncDisposable
{
    private readonly List<string> _names = [];

    public async Task<CosmosContainers> CreateAsync(RetentionPolicy retention, CosmosStoreOptions? options = null, RetentionPolicy? servedListRetention = null)
    {
        var client = CosmosEmulator.Client;
        options ??= CosmosEmulator.FreshOptions();
        _names.Add(options.Database);
        return await CosmosSchema.EnsureAsync(client, options, retention, TestContext.Current.CancellationToken, servedListRetention);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _names)
        {
            try
            {
                await CosmosEmulator.Client.GetDatabase(name).DeleteAsync();
            }
            catch (CosmosException)
            {
                // Cleanup is best effort: the server is in memory and dies with the run.
            }
        }
    }
}

public sealed class CosmosEventStoreTests : EventStoreContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    protected override async Task<IEventStore> CreateStoreAsync(RetentionPolicy retention)
    {
        var containers = await _databases.CreateAsync(retention);
        return new CosmosEventStore(containers.Events, retention);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class CosmosServedListStoreTests : ServedListStoreContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();
    private Container? _container;

    protected override async Task<IServedListStore> CreateStoreAsync(RetentionPolicy retention)
    {
        var containers = await _databases.CreateAsync(RetentionPolicy.Forever, servedListRetention: retention);
        _container = containers.ServedLists;
        return new CosmosServedListStore(containers.ServedLists, retention);
    }

    /// <summary>The document as the store writes it, the slots' standard errors removed, written as raw JSON.</summary>
    protected override async Task AppendAsStoredBeforeStandardErrorsAsync(IServedListStore store, ServedListRecord list)
    {
        var document = JsonSerializer.SerializeToNode(ServedListDocument.From(list, null), CosmosJson.Options)!.AsObject();
        using var json = new MemoryStream(Encoding.UTF8.GetBytes(WithoutStandardErrors(document).ToJsonString()));
        using var response = await _container!.CreateItemStreamAsync(json, new PartitionKey(list.UserId), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, response.ErrorMessage);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class PseudonymisedCosmosEventStoreTests : PseudonymisedEventStoreContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var retention = new RetentionPolicy(365);
        return new CosmosEventStore((await _databases.CreateAsync(retention)).Events, retention);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The change-feed contract against the Cosmos test server, whose change feed the launcher patches (tests/emulators/README.md).</summary>
public sealed class CosmosEventChangeFeedTests : EventChangeFeedContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var retention = new RetentionPolicy(365);
        return new CosmosEventStore((await _databases.CreateAsync(retention)).Events, retention);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class CosmosItemStoreTests : ItemStoreContract, IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    protected override async Task<IItemStore> CreateStoreAsync()
    {
        var containers = await _databases.CreateAsync(RetentionPolicy.Forever);
        return new CosmosItemStore(containers.Items);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
