using System.Text.Json;
using ServerlessReco.Core.Events;
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

    private SqliteDatabase Database => new(System.IO.Path.Combine(_folder.Path, "reco.db"));

    protected override Task<IServedListStore> CreateStoreAsync(RetentionPolicy retention) =>
        Task.FromResult<IServedListStore>(new SqliteServedListStore(Database, retention));

    /// <summary>The row as the store writes it (the record as web-default JSON), the slots' standard errors removed.</summary>
    protected override async Task AppendAsStoredBeforeStandardErrorsAsync(IServedListStore store, ServedListRecord list)
    {
        var json = WithoutStandardErrors(JsonSerializer.SerializeToNode(list, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject());
        await using var connection = Database.Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO served_lists (user_id, list_id, ts, list) VALUES ($userId, $listId, $ts, $list)";
        insert.Parameters.AddWithValue("$userId", list.UserId);
        insert.Parameters.AddWithValue("$listId", list.ListId);
        insert.Parameters.AddWithValue("$ts", list.ServedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$list", json.ToJsonString());
        await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

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
