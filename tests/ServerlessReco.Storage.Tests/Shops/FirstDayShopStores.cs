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
    private readonly EmulatorStores _stores = EmulatorStores.Fresh();

    // The default retention, as on the embedded store: the shop's history is 352 to 362 days old.
    protected override IEnumerable<string> StoreSettings() => _stores.Settings(retentionDays: 365);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _stores.DisposeAsync();
    }
}
