using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;

namespace ServerlessReco.TestSupport;

/// <summary>Empty embedded stores (SQLite events, served lists and items, a folder of model blobs) in a temporary folder, deleted on dispose.</summary>
public sealed class EmbeddedStores : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-serve-").FullName;

    public EmbeddedStores()
    {
        DatabasePath = Path.Combine(_folder, "reco.db");
        var database = new SqliteDatabase(DatabasePath);
        Events = new SqliteEventStore(database, new RetentionPolicy(0));
        ServedLists = new SqliteServedListStore(database, new RetentionPolicy(0));
        Items = new SqliteItemStore(database);
        Models = new FolderModelBlobStore(Path.Combine(_folder, "models"));
    }

    public string DatabasePath { get; }
    public SqliteEventStore Events { get; }
    public SqliteServedListStore ServedLists { get; }
    public SqliteItemStore Items { get; }
    public FolderModelBlobStore Models { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
