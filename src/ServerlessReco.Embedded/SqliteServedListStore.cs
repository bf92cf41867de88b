using System.Runtime.CompilerServices;
using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Embedded;

/// <summary>
/// Served lists in a table of their own, one row per list (the record as JSON); the primary key (user, list id) makes
/// a retried write a no-op, the time index serves the window reads, and expired lists are deleted by
/// <see cref="PurgeExpiredAsync"/> under their own retention.
/// </summary>
public sealed class SqliteServedListStore(SqliteDatabase database, RetentionPolicy retention) : IServedListStore
{
    public async Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        await using var connection = database.Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO served_lists (user_id, list_id, ts, list) VALUES ($userId, $listId, $ts, $list)";
        insert.Parameters.AddWithValue("$userId", list.UserId);
        insert.Parameters.AddWithValue("$listId", list.ListId);
        insert.Parameters.AddWithValue("$ts", list.ServedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$list", JsonSerializer.Serialize(list, ServedListJson.Options));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<ServedListRecord> ReadAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT list FROM served_lists WHERE ts >= $from AND ts < $to",
            [("$from", from.ToUnixTimeMilliseconds()), ("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue)], cancellationToken);

    /// <summary>Newest first on the time index (served_lists_by_time), limited in the query.</summary>
    public IAsyncEnumerable<ServedListRecord> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return QueryAsync("SELECT list FROM served_lists WHERE ts >= $from ORDER BY ts DESC LIMIT $limit",
            [("$from", from.ToUnixTimeMilliseconds()), ("$limit", limit)], cancellationToken);
    }

    /// <summary>One user's newest lists on the primary key's user prefix (a shopper's lists are few), limited in the query.</summary>
    public IAsyncEnumerable<ServedListRecord> ReadUserNewestAsync(string userId, DateTimeOffset from, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return QueryAsync("SELECT list FROM served_lists WHERE user_id = $userId AND ts >= $from ORDER BY ts DESC LIMIT $limit",
            [("$from", from.ToUnixTimeMilliseconds()), ("$limit", limit)], cancellationToken, userId);
    }

    private async IAsyncEnumerable<ServedListRecord> QueryAsync(
        string sql, (string Name, long Value)[] parameters, [EnumeratorCancellation] CancellationToken cancellationToken, string? userId = null)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        if (userId is not null)
        {
            command.Parameters.AddWithValue("$userId", userId);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize<ServedListRecord>(reader.GetString(0), ServedListJson.Options)!;
        }
    }

    /// <summary>Erases for real, as the event store does: secure delete zeroes the pages, a truncating checkpoint empties the log.</summary>
    public async Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var connection = database.Open();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM served_lists WHERE user_id = $userId";
        delete.Parameters.AddWithValue("$userId", userId);
        var erased = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return erased;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (retention.OldestKept(now) is not { } oldest)
        {
            return 0;
        }

        await using var connection = database.Open();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM served_lists WHERE ts < $oldest";
        delete.Parameters.AddWithValue("$oldest", oldest.ToUnixTimeMilliseconds());
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>How a served list is written as JSON in the embedded store: camelCase, slot kinds by name.</summary>
internal static class ServedListJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
