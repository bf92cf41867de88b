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

    public void Dispose() => _folder.Dispose();
}
