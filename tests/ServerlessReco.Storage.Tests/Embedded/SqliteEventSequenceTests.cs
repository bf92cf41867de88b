using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Embedded;

/// <summary>A database file made before the change feed existed (no sequence column) keeps working and gains a feed.</summary>
public sealed class SqliteEventSequenceTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The events table exactly as the schema made it before the sequence column, with three events in it.</summary>
    private void CreateOldDatabase(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE events (
                user_id TEXT NOT NULL, event_id TEXT NOT NULL, item_id TEXT NOT NULL, type TEXT NOT NULL, value REAL NULL,
                ts INTEGER NOT NULL, session_id TEXT NULL, recommendation_id TEXT NULL, properties TEXT NULL,
                PRIMARY KEY (user_id, event_id)
            ) WITHOUT ROWID;
            CREATE INDEX events_by_user_time ON events (user_id, ts);
            CREATE INDEX events_by_time ON events (ts);
            INSERT INTO events (user_id, event_id, item_id, type, ts) VALUES
                ('u2', 'old-b', 'i2', 'view', 2000), ('u1', 'old-a', 'i1', 'purchase', 1000), ('u1', 'old-c', 'i3', 'click', 3000);
            """;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task AnOldDatabaseIsNumberedInTimeOrderWhenOpenedAndNewEventsFollow()
    {
        var path = Path.Combine(_folder.Path, "old.db");
        CreateOldDatabase(path);
        SqliteConnection.ClearAllPools();

        var store = new SqliteEventStore(new SqliteDatabase(path), RetentionPolicy.Forever);
        var old = await store.ReadChangesAsync(null, 10, Cancel);
        await store.AppendAsync([Event("u3", "i1", "new-d")], Cancel);
        var next = await store.ReadChangesAsync(old.Position, 10, Cancel);

        Assert.Equal(["old-a", "old-b", "old-c"], old.Events.Select(e => e.EventId));
        Assert.Equal(["new-d"], next.Events.Select(e => e.EventId));
        Assert.Equal(4, await store.CountAsync(Cancel));
        Assert.Equal(["old-c", "old-a"], await store.ReadUserHistoryAsync("u1", 10, Cancel).Select(e => e.EventId).ToListAsync(Cancel)); // newest first, as before
    }

    [Fact]
    public async Task ErasingTheNewestEventsNeverLetsANumberBeHandedOutTwice()
    {
        var path = Path.Combine(_folder.Path, "reco.db");
        var store = new SqliteEventStore(new SqliteDatabase(path), RetentionPolicy.Forever);
        await store.AppendAsync([Event("u1", "i1", "e1"), Event("u2", "i1", "e2")], Cancel);
        var seen = await store.ReadChangesAsync(null, 10, Cancel);

        await store.DeleteUserEventsAsync("u2", Cancel); // the newest number is freed
        await store.AppendAsync([Event("u3", "i2", "e3")], Cancel);
        var reopened = new SqliteEventStore(new SqliteDatabase(path), RetentionPolicy.Forever); // and the counter survives a reopen
        await reopened.AppendAsync([Event("u4", "i2", "e4")], Cancel);

        Assert.Equal(["e3", "e4"], (await reopened.ReadChangesAsync(seen.Position, 10, Cancel)).Events.Select(e => e.EventId));
    }

    public void Dispose() => _folder.Dispose();
}
