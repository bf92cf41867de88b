using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>What every <see cref="IItemStore"/> must do.</summary>
public abstract class ItemStoreContract
{
    protected abstract Task<IItemStore> CreateStoreAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static CatalogItem Item(string id) => new()
    {
        ItemId = id,
        Title = $"Title of {id}",
        Description = "A light shoe for muddy trails, with a grippy sole. Ünïcode too.",
        Category = "shoes",
        Tags = ["red", "running"],
        Price = 59.90m,
        Available = true,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123),
    };

    [Fact]
    public async Task AnUpsertedItemReadsBackWithEveryField()
    {
        var store = await CreateStoreAsync();
        var original = Item("sku/1?#\\");

        Assert.Equal(1, await store.UpsertAsync([original], Cancel));
        var read = await store.GetAsync(original.ItemId, Cancel);

        Assert.NotNull(read);
        Assert.Equal(original.ItemId, read.ItemId);
        Assert.Equal(original.Title, read.Title);
        Assert.Equal(original.Description, read.Description);
        Assert.Equal(original.Category, read.Category);
        Assert.Equal(original.Tags, read.Tags);
        Assert.Equal(original.Price, read.Price);
        Assert.Equal(original.Available, read.Available);
        Assert.Equal(original.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task UpsertReplacesTheWholeItem()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync([Item("sku-1")], Cancel);

        await store.UpsertAsync([new CatalogItem { ItemId = "sku-1", Title = "Renamed", Available = false }], Cancel);
        var read = await store.GetAsync("sku-1", Cancel);

        Assert.NotNull(read);
        Assert.Equal("Renamed", read.Title);
        Assert.False(read.Available);
        Assert.Null(read.Category);
        Assert.Null(read.Description);
        Assert.Empty(read.Tags);
        Assert.Null(read.Price);
    }

    [Fact]
    public async Task TheCountIsTheNumberOfDistinctItemsHeld()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(0, await store.CountAsync(TestContext.Current.CancellationToken));

        await store.UpsertAsync([Item("a"), Item("b"), Item("c")], TestContext.Current.CancellationToken);
        await store.UpsertAsync([Item("b")], TestContext.Current.CancellationToken);

        Assert.Equal(3, await store.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AMissingItemIsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("no-such-item", Cancel));
    }

    [Fact]
    public async Task ReadAllReturnsTheWholeCatalogue()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Enumerable.Range(0, 250).Select(i => Item($"sku-{i}")).ToList(), Cancel);

        var all = new List<CatalogItem>();
        await foreach (var item in store.ReadAllAsync(Cancel))
        {
            all.Add(item);
        }

        Assert.Equal(250, all.Count);
        Assert.Equal(250, all.Select(i => i.ItemId).Distinct().Count());
    }

    [Fact]
    public async Task AReadWithoutACursorIsTheWholeCatalogue()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(Enumerable.Range(0, 250).Select(i => Item($"sku-{i}")).ToList(), Cancel);

        var changes = await store.ReadChangedSinceAsync(null, Cancel);

        Assert.True(changes.Complete);
        Assert.Equal(250, changes.Items.Select(i => i.ItemId).Distinct().Count());
        Assert.Equal(250, changes.Items.Count);
    }

    [Fact]
    public async Task AReadFromACursorHasEveryItemWrittenAfterItInItsLatestVersion()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync([Item("kept"), Item("withdrawn")], Cancel);
        var first = await store.ReadChangedSinceAsync(null, Cancel);

        await store.UpsertAsync([Item("withdrawn") with { Available = false, Title = "Gone" }, Item("arrival")], Cancel);
        var changes = await store.ReadChangedSinceAsync(first.Cursor, Cancel);

        Assert.False(changes.Complete);
        var byId = changes.Items.ToDictionary(i => i.ItemId);
        Assert.False(byId["withdrawn"].Available);
        Assert.Equal("Gone", byId["withdrawn"].Title);
        Assert.Equal("Title of arrival", byId["arrival"].Title);
        Assert.Equal(changes.Items.Count, byId.Count); // each item once, even when a store re-reads its boundary

        // Whatever else it returns lies at the boundary and is unchanged, so merging it is harmless.
        Assert.All(changes.Items.Where(i => i.ItemId == "kept"), i => Assert.True(i.Available));
    }

    [Fact]
    public async Task ACursorKeepsWorkingAcrossSeveralReads()
    {
        var store = await CreateStoreAsync();
        var cursor = (await store.ReadChangedSinceAsync(null, Cancel)).Cursor;
        var held = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        for (var round = 0; round < 3; round++)
        {
            await store.UpsertAsync([Item($"round-{round}"), Item("moving") with { Title = $"Round {round}" }], Cancel);
            var changes = await store.ReadChangedSinceAsync(cursor, Cancel);
            foreach (var item in changes.Items)
            {
                held[item.ItemId] = item;
            }

            cursor = changes.Cursor;
        }

        // Merging the reads gives what a full read gives.
        var all = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        await foreach (var item in store.ReadAllAsync(Cancel))
        {
            all[item.ItemId] = item;
        }

        Assert.Equal(all.Keys.Order(StringComparer.Ordinal), held.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Round 2", held["moving"].Title);
    }
}
