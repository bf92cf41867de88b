using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// Fresh embedded stores (SQLite events, served lists and items, a folder of model blobs) in a temporary directory of their own,
/// removed on dispose: what a simulated run writes to. The embedded store, because it is the one a shop without Azure
/// really runs on (the core itself references no database).
/// </summary>
public sealed class EmbeddedSimulationStores : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-simulate-").FullName;

    public EmbeddedSimulationStores()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "reco.db"));
        var events = new SqliteEventStore(database, RetentionPolicy.Forever);
        Stores = new SimulationStores(
            events, events, new SqliteServedListStore(database, RetentionPolicy.Forever), new SqliteItemStore(database), new FolderModelBlobStore(Path.Combine(_folder, "models")));
    }

    public SimulationStores Stores { get; }

    public void Dispose()
    {
        // Pooled connections keep the database file open; release them before removing the folder.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
