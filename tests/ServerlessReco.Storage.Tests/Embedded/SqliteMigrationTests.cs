using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Embedded;

namespace ServerlessReco.Storage.Tests.Embedded;

/// <summary>Files made by an earlier version open, keep their rows and gain the columns added since.</summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnItemsTableWithoutDescriptionsGainsTheColumnAndKeepsItsItems()
    {
        var path = Path.Combine(_folder.Path, "old.db");
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE items (item_id TEXT NOT NULL PRIMARY KEY, title TEXT NULL, category TEXT NULL, tags TEXT NOT NULL,
                                    price TEXT NULL, available INTEGER NOT NULL, created_at INTEGER NULL);
                INSERT INTO items VALUES ('sku-1', 'Trail shoe', 'shoes', '["trail"]', '89.95', 1, NULL);
                """;
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteItemStore(new SqliteDatabase(path));
        var kept = await store.GetAsync("sku-1", Cancel);
        await store.UpsertAsync([new CatalogItem { ItemId = "sku-2", Description = "A kettle of stoneware." }], Cancel);
        var reopened = new SqliteItemStore(new SqliteDatabase(path)); // a second open finds the column and adds nothing

        Assert.Equal("Trail shoe", kept!.Title);
        Assert.Null(kept.Description);
        Assert.Equal("A kettle of stoneware.", (await reopened.GetAsync("sku-2", Cancel))!.Description);
    }

    [Fact]
    public async Task AnItemsTableWithoutAWriteOrderGainsItAndReadsIncrementallyFromThere()
    {
        var path = Path.Combine(_folder.Path, "before-changed.db");
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE items (item_id TEXT NOT NULL PRIMARY KEY, title TEXT NULL, category TEXT NULL, tags TEXT NOT NULL,
                                    price TEXT NULL, available INTEGER NOT NULL, created_at INTEGER NULL, description TEXT NULL);
                INSERT INTO items VALUES ('sku-1', 'Trail shoe', 'shoes', '["trail"]', '89.95', 1, NULL, NULL);
                INSERT INTO items VALUES ('sku-2', 'Kettle', 'kitchen', '[]', NULL, 1, NULL, NULL);
                """;
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteItemStore(new SqliteDatabase(path));
        var first = await store.ReadChangedSinceAsync(null, Cancel);
        await store.UpsertAsync([new CatalogItem { ItemId = "sku-2", Title = "Kettle", Available = false }], Cancel);
        var changes = await new SqliteItemStore(new SqliteDatabase(path)).ReadChangedSinceAsync(first.Cursor, Cancel);

        Assert.Equal(["sku-1", "sku-2"], first.Items.Select(i => i.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal("sku-2", Assert.Single(changes.Items).ItemId); // the old rows are not changes
        Assert.False(changes.Items[0].Available);
    }

    [Fact]
    public async Task ACursorFromAnotherFileIsNotTrustedAndTheWholeCatalogueIsRead()
    {
        var busy = new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder.Path, "busy.db")));
        await busy.UpsertAsync([.. Enumerable.Range(0, 5).Select(i => new CatalogItem { ItemId = $"sku-{i}" })], Cancel);
        var cursor = (await busy.ReadChangedSinceAsync(null, Cancel)).Cursor;
        var restored = new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder.Path, "restored.db")));
        await restored.UpsertAsync([new CatalogItem { ItemId = "only" }], Cancel);

        var changes = await restored.ReadChangedSinceAsync(cursor, Cancel);

        Assert.True(changes.Complete);
        Assert.Equal("only", Assert.Single(changes.Items).ItemId);
        Assert.Equal(1, changes.Cursor.Position);
    }

    public void Dispose() => _folder.Dispose();
}
