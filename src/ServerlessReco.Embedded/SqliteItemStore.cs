using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Embedded;

/// <summary>The item catalogue in SQLite.</summary>
public sealed class SqliteItemStore(SqliteDatabase database) : IItemStore
{
    private const string Columns = "item_id, title, category, tags, price, available, created_at, description";

    public async Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;

        // Each write takes the next number of the items' write order (the write transaction serialises them, and items are
        // never deleted, so the largest number held only grows): an incremental read asks for the numbers after its cursor.
        upsert.CommandText = $"INSERT OR REPLACE INTO items ({Columns}, changed) VALUES ($id, $title, $category, $tags, $price, $available, $createdAt, $description, " +
            "(SELECT IFNULL(MAX(changed), 0) + 1 FROM items))";
        foreach (var item in items)
        {
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$id", item.ItemId);
            upsert.Parameters.AddWithValue("$title", (object?)item.Title ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$category", (object?)item.Category ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(item.Tags));

            // Stored as text: SQLite's REAL would round a decimal price.
            upsert.Parameters.AddWithValue("$price", (object?)item.Price?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$available", item.Available ? 1 : 0);
            upsert.Parameters.AddWithValue("$createdAt", (object?)item.CreatedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$description", (object?)item.Description ?? DBNull.Value);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return items.Count;
    }

    public async Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        await foreach (var item in QueryAsync($"SELECT {Columns} FROM items WHERE item_id = $id", itemId, cancellationToken).ConfigureAwait(false))
        {
            return item;
        }

        return null;
    }

    public IAsyncEnumerable<CatalogItem> ReadAllAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM items", null, cancellationToken);

    public async Task<CatalogChanges> ReadChangedSinceAsync(CatalogCursor? since, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();

        // One read transaction: the largest number and the rows come from the same snapshot, so nothing falls between them.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var last = connection.CreateCommand();
        last.Transaction = transaction;
        last.CommandText = "SELECT IFNULL(MAX(changed), 0) FROM items";
        var newest = Convert.ToInt64(await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        // A cursor past the newest write comes from another file (restored, recreated): it cannot be trusted, read everything.
        var complete = since is null || since.Position > newest;
        var items = new List<CatalogItem>();
        var sql = complete ? $"SELECT {Columns} FROM items" : $"SELECT {Columns} FROM items WHERE changed > $since";
        await foreach (var item in QueryAsync(connection, transaction, sql, "$since", complete ? null : since!.Position, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return new CatalogChanges(items, new CatalogCursor(newest), complete);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM items";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async IAsyncEnumerable<CatalogItem> QueryAsync(string sql, string? itemId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await foreach (var item in QueryAsync(connection, null, sql, "$id", itemId, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<CatalogItem> QueryAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, string parameter, object? value, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (value is not null)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new CatalogItem
            {
                ItemId = reader.GetString(0),
                Title = reader.IsDBNull(1) ? null : reader.GetString(1),
                Category = reader.IsDBNull(2) ? null : reader.GetString(2),
                Tags = JsonSerializer.Deserialize<List<string>>(reader.GetString(3))!,
                Price = reader.IsDBNull(4) ? null : decimal.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                Available = reader.GetInt64(5) != 0,
                CreatedAt = reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                Description = reader.IsDBNull(7) ? null : reader.GetString(7),
            };
        }
    }
}
