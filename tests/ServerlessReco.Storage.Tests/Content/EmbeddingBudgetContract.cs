using System.Text;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;
using ServerlessReco.Embeddings;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.Embedded;
using ServerlessReco.Storage.Tests.Retraining;

namespace ServerlessReco.Storage.Tests.Content;

/// <summary>
/// Embedding that cannot get retraining stuck, with the real transformer on each model store (a folder, Azurite): a run
/// whose budget runs out publishes with the vectors it has and later runs embed the rest (saved as cache chunks
/// meanwhile), and a damaged cache counts as empty and is rewritten.
/// </summary>
public abstract class EmbeddingBudgetContract : IDisposable
{
    private static readonly MiniLmItemEmbedder Embedder = new();
    private readonly TemporaryFolder _folder = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteItemStore _catalogue;
    private IModelBlobStore _models = null!;

    protected EmbeddingBudgetContract()
    {
        _database = new SqliteDatabase(Path.Combine(_folder.Path, "reco.db"));
        _catalogue = new SqliteItemStore(_database);
    }

    /// <summary>A fresh, empty model store.</summary>
    protected abstract Task<IModelBlobStore> CreateModelStoreAsync();

    protected string FolderPath => _folder.Path;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARunOutOfBudgetPublishesWithTheVectorsItHasAndLaterRunsEmbedTheRest()
    {
        _models = await CreateModelStoreAsync();
        var events = new SqliteEventStore(_database, new RetentionPolicy(0));
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow, items: 300, users: 400, events: 3000);
        await shop.StoreAsync(new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder.Path, "shop-items.db"))), events, Cancel);
        await _catalogue.UpsertAsync([.. shop.Items.Take(12).Select(i => i with { Description = $"About {i.Title}." })], Cancel);

        // No time at all: each run embeds its one batch of 5, the least it always does, and stops.
        var embedding = new CatalogEmbedding(_catalogue, Embedder, _models, new ContentOptions { EmbeddingBudget = TimeSpan.Zero, EmbeddingBatch = 5 });
        var registry = new ModelRegistry(_models, TimeProvider.System);
        RetrainService Service() => new(events, new SqliteServedListStore(_database, new RetentionPolicy(0)), registry,
            new RetrainOptions(), TimeProvider.System, new ListLogger(), embedding);

        var runs = new List<RetrainResult>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await Service().RunAsync(Cancel));
            if (i == 0)
            {
                Assert.NotEmpty(await _models.ListAsync(EmbeddingCache.ChunkPrefix(Embedder.Name), Cancel).ToListAsync(Cancel)); // the work is saved
            }
        }

        var last = await Service().RunAsync(Cancel);

        Assert.Equal([(5, 5, 7), (5, 10, 2), (2, 12, 0)], runs.Select(r => (r.Content!.Embedded, r.Content.Items, r.Content.Pending)));
        Assert.All(runs, r => Assert.NotNull(r.Version)); // each run published, with the vectors it had
        var first = ContentEmbeddings.From((await registry.LoadAsync(runs[0].Version!, Cancel))!);
        Assert.Equal(5, first!.Items.Count);
        Assert.Equal(12, ContentEmbeddings.From((await registry.LoadAsync(runs[2].Version!, Cancel))!)!.Items.Count);
        Assert.Equal(RetrainOutcome.Skipped, last.Outcome); // nothing left to embed, nothing changed
        Assert.Empty(await _models.ListAsync(EmbeddingCache.ChunkPrefix(Embedder.Name), Cancel).ToListAsync(Cancel)); // folded into the cache
    }

    public static TheoryData<string> Damages => ["a negative count", "truncated", "not a cache"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task ADamagedCacheCountsAsEmptyAndIsRewritten(string damage)
    {
        _models = await CreateModelStoreAsync();
        await _catalogue.UpsertAsync(
        [
            new CatalogItem { ItemId = "shoe", Title = "Trail running shoe", Category = "Shoes" },
            new CatalogItem { ItemId = "kettle", Title = "Stoneware tea kettle", Category = "Home & Kitchen" },
            new CatalogItem { ItemId = "novel", Title = "A thriller set in Oslo", Category = "Books" },
        ], Cancel);
        var step = new CatalogEmbedding(_catalogue, Embedder, _models, new ContentOptions { Dimensions = 0 });
        await step.BuildAsync(Cancel);
        await DamageAsync(EmbeddingCache.BlobName(Embedder.Name), damage);

        var after = await step.BuildAsync(Cancel);
        var again = await step.BuildAsync(Cancel);

        Assert.Equal((3, 0), (after!.Embedded, after.Reused));
        Assert.Equal((0, 3), (again!.Embedded, again.Reused)); // the rewritten cache reads
    }

    private async Task DamageAsync(string blob, string damage)
    {
        byte[] bytes;
        using (var download = (await _models.GetAsync(blob, Cancel))!)
        using (var buffer = new MemoryStream())
        {
            await download.Content.CopyToAsync(buffer, Cancel);
            bytes = buffer.ToArray();
        }

        bytes = damage switch
        {
            "a negative count" => [.. bytes[..16], .. BitConverter.GetBytes(-5), .. bytes[20..]],
            "truncated" => bytes[..(bytes.Length - 100)],
            _ => Encoding.UTF8.GetBytes("not an embedding cache at all"),
        };
        await _models.PutAsync(blob, new MemoryStream(bytes), BlobCondition.None, Cancel);
    }

    public virtual void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class FolderEmbeddingBudgetTests : EmbeddingBudgetContract
{
    protected override Task<IModelBlobStore> CreateModelStoreAsync() =>
        Task.FromResult<IModelBlobStore>(new FolderModelBlobStore(Path.Combine(FolderPath, $"models-{Guid.NewGuid():N}")));
}

public sealed class BlobEmbeddingBudgetTests : EmbeddingBudgetContract
{
    private readonly List<string> _containers = [];

    protected override async Task<IModelBlobStore> CreateModelStoreAsync()
    {
        var options = Azure.BlobEmulator.FreshOptions();
        _containers.Add(options.Container);
        return await ServerlessReco.Azure.Blob.BlobModelStore.CreateAsync(Azure.BlobEmulator.Client, options, TestContext.Current.CancellationToken);
    }

    public override void Dispose()
    {
        foreach (var name in _containers)
        {
            Azure.BlobEmulator.Client.GetBlobContainerClient(name).DeleteIfExists();
        }

        base.Dispose();
    }
}
