using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Embedded;

/// <summary>
/// Events in SQLite; the primary key (user, event id) is what makes appends idempotent. Each stored event is
/// numbered in store order (<see cref="SqliteEventSequence"/>), which is the change feed's position.
/// </summary>
public sealed class SqliteEventStore(SqliteDatabase database, RetentionPolicy retention) : IEventStore, IEventChangeFeed
{
    private const string Columns = "event_id, user_id, item_id, type, value, ts, session_id, recommendation_id, properties";

    public async Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT OR IGNORE INTO events ({Columns}, seq) VALUES ($eventId, $userId, $itemId, $type, $value, $ts, $sessionId, $recommendationId, $properties, $seq)";
        var parameters = new[] { "$eventId", "$userId", "$itemId", "$type", "$value", "$ts", "$sessionId", "$recommendationId", "$properties", "$seq" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();

        var stored = 0;
        var sequence = await SqliteEventSequence.LastAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            parameters[0].Value = e.EventId;
            parameters[1].Value = e.UserId;
            parameters[2].Value = e.ItemId;
            parameters[3].Value = e.Type.ToWireName();
            parameters[4].Value = (object?)e.Value ?? DBNull.Value;
            parameters[5].Value = e.Timestamp.ToUnixTimeMilliseconds();
            parameters[6].Value = (object?)e.SessionId ?? DBNull.Value;
            parameters[7].Value = (object?)e.RecommendationId ?? DBNull.Value;
            parameters[8].Value = e.Properties.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(e.Properties);
            parameters[9].Value = sequence + 1;
            var inserted = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            sequence += inserted; // a duplicate takes no number
            stored += inserted;
        }

        await SqliteEventSequence.AdvanceAsync(connection, transaction, sequence, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(stored, events.Count - stored);
    }

    /// <summary>
    /// The history read's query: newest first along the partial index of behaviour events by (user, time), which holds
    /// no impression to skip and needs no sort. Public so that a test can check the plan SQLite makes of it.
    /// </summary>
    public const string HistoryQuery =
        $"SELECT {Columns} FROM events WHERE user_id = $userId AND type <> 'impression' ORDER BY ts DESC, event_id DESC LIMIT $limit";

    public IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(HistoryQuery, [("$userId", userId), ("$limit", limit)], cancellationToken);

    public IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM events WHERE ts >= $from AND ts < $to",
            [("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue), ("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue)],
            cancellationToken);

    /// <summary>Trending's read: newest first on the time index, limited in the query.</summary>
    public const string NewestQuery =
        $"SELECT {Columns} FROM events WHERE ts >= $from AND type <> 'impression' ORDER BY ts DESC LIMIT $limit";

    public IAsyncEnumerable<BehaviorEvent> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return QueryAsync(NewestQuery, [("$from", from.ToUnixTimeMilliseconds()), ("$limit", limit)], cancellationToken);
    }

    /// <summary>
    /// Events numbered after the position (a sequence number; null: 0), in number order. The numbers are handed out
    /// inside the writing transaction, and writers take turns, so a reader never sees a number before a smaller one.
    /// </summary>
    public async Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var after = position is null ? 0 : long.Parse(position, System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, seq FROM events WHERE seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", maxEvents);
        var events = new List<BehaviorEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(Read(reader));
            after = reader.GetInt64(9);
        }

        return new ChangeFeedPage(events, after.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Erases for real: secure delete zeroes the freed pages, and a truncating checkpoint then copies them into the
    /// database file and empties the write-ahead log, which would otherwise still hold the pages as they were.
    /// </summary>
    public async Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var erased = await ExecuteAsync("DELETE FROM events WHERE user_id = $userId", ("$userId", userId), cancellationToken).ConfigureAwait(false);
        await using var connection = database.Open();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return erased;
    }

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        retention.OldestKept(now) is { } oldest
            ? ExecuteAsync("DELETE FROM events WHERE ts < $oldest", ("$oldest", oldest.ToUnixTimeMilliseconds()), cancellationToken)
            : Task.FromResult(0);

    private async Task<int> ExecuteAsync(string sql, (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<BehaviorEvent> QueryAsync(
        string sql, (string Name, object Value)[] parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    private static BehaviorEvent Read(SqliteDataReader reader)
    {
        EventTypeNames.TryParse(reader.GetString(3), out var type);
        return new BehaviorEvent
        {
            EventId = reader.GetString(0),
            UserId = reader.GetString(1),
            ItemId = reader.GetString(2),
            Type = type,
            Value = reader.IsDBNull(4) ? null : reader.GetDouble(4),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            SessionId = reader.IsDBNull(6) ? null : reader.GetString(6),
            RecommendationId = reader.IsDBNull(7) ? null : reader.GetString(7),
            Properties = reader.IsDBNull(8)
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(8))!,
        };
    }
}
