using ServerlessReco.Storage.Tests.Azure;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Shops;

/// <summary>The first-day shop on the embedded store: SQLite and a models folder.</summary>
public sealed class EmbeddedFirstDayShopTests : FirstDayShopContract
{
    private readonly TemporaryFolder _folder = new();

    protected override IEnumerable<string> StoreSettings() => [$"--Embedded:DataDirectory={_folder.Path}"];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

/// <summary>The first-day shop on the emulators: the Cosmos DB test server and Azurite.</summary>
public sealed class EmulatorFirstDayShopTests : FirstDayShopContract
{
    private readonly Microsoft.Azure.Cosmos.CosmosClient _cosmos = CosmosEmulator.Client;
    private readonly global::ServerlessReco.Azure.Cosmos.CosmosStoreOptions _database = CosmosEmulator.FreshOptions();
    private readonly global::ServerlessReco.Azure.Blob.BlobStoreOptions _models = BlobEmulator.FreshOptions();

    protected override IEnumerable<string> StoreSettings() =>
    [
        $"--Cosmos:Endpoint={_database.Endpoint}",
        $"--Cosmos:Key={_database.Key}",
        $"--Cosmos:Database={_database.Database}",
        "--Cosmos:ConnectionMode=Gateway",
        "--Cosmos:LimitToEndpoint=true",
        $"--ModelStorage:ConnectionString={_models.ConnectionString}",
        $"--ModelStorage:Container={_models.Container}",
        $"--Reco:PseudonymKey={EmulatorSettings.PseudonymKey}",
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _cosmos.GetDatabase(_database.Database).DeleteAsync(cancellationToken: Cancel);
        await BlobEmulator.Client.GetBlobContainerClient(_models.Container).DeleteIfExistsAsync(cancellationToken: Cancel);
    }
}
