using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Storage.Tests.Contracts;

namespace ServerlessReco.Storage.Tests.Embedded;

/// <summary>A folder of its own per test, removed when the test class instance is disposed.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("reco-test-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IEventStore> CreateStoreAsync(RetentionPolicy retention) =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteDatabase(System.IO.Path.Combine(_folder.Path, "reco.db")), retention));

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteServedListStoreTests : ServedListStoreContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IServedListStore> CreateStoreAsync(RetentionPolicy retention) =>
        Task.FromResult<IServedListStore>(new SqliteServedListStore(new SqliteDatabase(System.IO.Path.Combine(_folder.Path, "reco.db")), retention));

    public void Dispose() => _folder.Dispose();
}

public sealed class PseudonymisedSqliteEventStoreTests : PseudonymisedEventStoreContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteDatabase(System.IO.Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.db")), new RetentionPolicy(365)));

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteEventChangeFeedTests : EventChangeFeedContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new SqliteEventStore(new SqliteDatabase(System.IO.Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.db")), new RetentionPolicy(365)));

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteItemStoreTests : ItemStoreContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IItemStore> CreateStoreAsync() =>
        Task.FromResult<IItemStore>(new SqliteItemStore(new SqliteDatabase(System.IO.Path.Combine(_folder.Path, "reco.db"))));

    public void Dispose() => _folder.Dispose();
}

public sealed class FolderModelBlobStoreTests : ModelBlobStoreContract, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IModelBlobStore> CreateStoreAsync() =>
        Task.FromResult<IModelBlobStore>(new FolderModelBlobStore(_folder.Path));

    public void Dispose() => _folder.Dispose();
}
