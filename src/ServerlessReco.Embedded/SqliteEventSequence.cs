using Microsoft.Data.Sqlite;

namespace ServerlessReco.Embedded;

/// <summary>
/// The order events were stored in, for the change feed: each stored event gets the next number of a counter that
/// never goes back (the counter lives in a row of its own, so erasing the newest events does not reuse their
/// numbers). The <c>events</c> table has no rowid (it is keyed by user and event id), hence a column of its own.
/// A database made before the column existed is upgraded in place when opened: existing events are numbered in
/// time order, and the counter starts after them.
/// </summary>
internal static class SqliteEventSequence
{
    private const string Upgrade = """
        ALTER TABLE events ADD COLUMN seq INTEGER;
        UPDATE events SET seq = numbered.n
        FROM (SELECT user_id AS u, event_id AS e, ROW_NUMBER() OVER (ORDER BY ts, user_id, event_id) AS n FROM events) AS numbered
        WHERE events.user_id = numbered.u AND events.event_id = numbered.e;
        """;

    private const string Counter = """
        CREATE TABLE IF NOT EXISTS event_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
        INSERT OR IGNORE INTO event_sequence (id, last) SELECT 1, IFNULL(MAX(seq), 0) FROM events;
        CREATE INDEX IF NOT EXISTS events_by_seq ON events (seq);
        """;

    /// <summary>Adds and fills the column when missing, then makes sure the counter and its index exist; one transaction.</summary>
    public static void Ensure(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'seq'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            command.CommandText = Upgrade;
            command.ExecuteNonQuery();
        }

        command.CommandText = Counter;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>The last number handed out, read inside the appending transaction (which holds the write lock).</summary>
    public static async Task<long> LastAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT last FROM event_sequence WHERE id = 1";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Moves the counter on to <paramref name="last"/>, in the same transaction as the events that used the numbers.</summary>
    public static async Task AdvanceAsync(SqliteConnection connection, SqliteTransaction transaction, long last, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE event_sequence SET last = $last WHERE id = 1";
        command.Parameters.AddWithValue("$last", last);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
