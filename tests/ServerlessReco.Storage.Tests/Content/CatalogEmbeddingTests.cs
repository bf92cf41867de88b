using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Embedded;
using ServerlessReco.Embeddings;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Content;

/// <summary>The retrain's embed step on a real SQLite catalogue, a real model folder and the real transformer: only new or changed texts are embedded.</summary>
public sealed class CatalogEmbeddingTests : IDisposable
{
    private static readonly MiniLmItemEmbedder Embedder = new();
    private readonly TemporaryFolder _folder = new();
    private readonly SqliteItemStore _items;
    private readonly FolderModelBlobStore _models;

    public CatalogEmbeddingTests()
    {
        _items = new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder.Path, "reco.db")));
        _models = new FolderModelBlobStore(Path.Combine(_folder.Path, "models"));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static CatalogItem[] Catalogue =>
    [
        new() { ItemId = "shoe", Title = "Trail running shoe", Category = "Shoes", Tags = ["trail"] },
        new() { ItemId = "sneaker", Title = "Road running sneaker", Category = "Shoes", Description = "Cushioned for long runs on tarmac." },
        new() { ItemId = "kettle", Title = "Stoneware tea kettle", Category = "Home & Kitchen" },
        new() { ItemId = "novel", Title = "A thriller set in Oslo", Category = "Books" },
        new() { ItemId = "blank" }, // no text: no vector
    ];

    [Fact]
    public async Task AnUnchangedCatalogueEmbedsNothingTheSecondTime()
    {
        await _items.UpsertAsync(Catalogue, Cancel);
        var step = new CatalogEmbedding(_items, Embedder, _models, new ContentOptions { Dimensions = 0 });

        var first = await step.BuildAsync(Cancel);
        var second = await step.BuildAsync(Cancel);

        Assert.Equal((4, 4, 0), (first!.Items, first.Embedded, first.Reused));
        Assert.Equal((4, 0, 4), (second!.Items, second.Embedded, second.Reused));
        Assert.NotNull(await _models.GetETagAsync(EmbeddingCache.BlobName(Embedder.Name), Cancel));
    }

    [Fact]
    public async Task AChangedDescriptionIsEmbeddedAgainAndNothingElse()
    {
        await _items.UpsertAsync(Catalogue, Cancel);
        var step = new CatalogEmbedding(_items, Embedder, _models, new ContentOptions { Dimensions = 0 });
        await step.BuildAsync(Cancel);

        await _items.UpsertAsync([Catalogue[2] with { Description = "Holds 1.5 litres; for gas and induction hobs." }], Cancel);
        var after = await step.BuildAsync(Cancel);

        Assert.Equal((1, 3), (after!.Embedded, after.Reused));
    }

    [Fact]
    public async Task ShoesAreEachOthersNearestItemsInTheArtifactsCompactVectors()
    {
        await _items.UpsertAsync(Catalogue, Cancel);

        var built = await new CatalogEmbedding(_items, Embedder, _models, new ContentOptions()).BuildAsync(Cancel);
        var content = ContentEmbeddings.FromBytes(built!.Embeddings.ToBytes());

        Assert.True(content.EightBit);
        Assert.True(content.Items.TryGetIndex("shoe", out var shoe));
        var query = new float[content.Dimensions];
        content.Decode(shoe, query);
        var nearest = Enumerable.Range(0, content.Items.Count).Where(i => i != shoe).MaxBy(i => content.Dot(i, query));
        Assert.Equal("sneaker", content.Items[nearest]);
    }

    public void Dispose() => _folder.Dispose();
}
