using Microsoft.Data.Sqlite;

namespace ServerlessReco.Embedded;

/// <summary>
/// One SQLite file holding the events, served-list and items tables. Connections are opened per operation
/// (Microsoft.Data.Sqlite pools them); write-ahead logging lets readers run beside a writer.
/// </summary>
public sealed class SqliteDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS events (
            user_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            type TEXT NOT NULL,
            value REAL NULL,
            ts INTEGER NOT NULL,
            session_id TEXT NULL,
            recommendation_id TEXT NULL,
            properties TEXT NULL,
            PRIMARY KEY (user_id, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS events_by_user_time ON events (user_id, ts);
        CREATE INDEX IF NOT EXISTS history_by_user_time ON events (user_id, ts) WHERE type <> 'impression';
        CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
        CREATE TABLE IF NOT EXISTS served_lists (
            user_id TEXT NOT NULL,
            list_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            list TEXT NOT NULL,
            PRIMARY KEY (user_id, list_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS served_lists_by_time ON served_lists (ts);
        CREATE TABLE IF NOT EXISTS items (
            item_id TEXT NOT NULL PRIMARY KEY,
            title TEXT NULL,
            category TEXT NULL,
            tags TEXT NOT NULL,
            price TEXT NULL,
            available INTEGER NOT NULL,
            created_at INTEGER NULL,
            description TEXT NULL,
            changed INTEGER NOT NULL DEFAULT 0
        );
        """;

    /// <summary>Columns added after a table was first shipped: added to files made before them (SQLite has no ADD COLUMN IF NOT EXISTS).</summary>
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("items", "description", "TEXT NULL"),

        // The order of catalogue writes, for serving's incremental refresh (SqliteItemStore.ReadChangedSinceAsync).
        // Items of an older file start at 0: a first full read takes them all, later writes count on from there.
        ("items", "changed", "INTEGER NOT NULL DEFAULT 0"),
    ];

    /// <summary>Indexes on added columns: made once the column exists, in new and upgraded files alike.</summary>
    private const string IndexesOnAddedColumns = "CREATE INDEX IF NOT EXISTS items_by_changed ON items (changed);";

    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Default,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
        AddMissingColumns(connection);
        using (var indexes = connection.CreateCommand())
        {
            indexes.CommandText = IndexesOnAddedColumns;
            indexes.ExecuteNonQuery();
        }

        SqliteEventSequence.Ensure(connection);
    }

    private static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var (table, column, definition) in AddedColumns)
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column";
            exists.Parameters.AddWithValue("$table", table);
            exists.Parameters.AddWithValue("$column", column);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                using var alter = connection.CreateCommand();
                alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
                alter.ExecuteNonQuery();
            }
        }
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();

        // Wait for a concurrent writer instead of failing with SQLITE_BUSY.
        // A 32 MiB page cache keeps the primary-key and time indexes in memory during bulk imports.
        // Secure delete overwrites what a DELETE frees, so an erased shopper's rows do not linger in free pages.
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA secure_delete = ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
