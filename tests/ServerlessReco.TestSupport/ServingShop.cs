using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.TestSupport;

/// <summary>
/// The sample shop in an embedded store with a model trained on it and promoted through the model blob store
/// (artifact, then models/current.json), as the retraining will do in production.
/// </summary>
public sealed class ServingShop : IDisposable
{
    private readonly EmbeddedStores _stores = new();

    public ServingShop()
    {
        Data = SampleShop.Generate(7, DateTimeOffset.UtcNow);
    }

    public SampleShopData Data { get; }
    public string DatabasePath => _stores.DatabasePath;
    public SqliteEventStore Events => _stores.Events;
    public SqliteServedListStore ServedLists => _stores.ServedLists;
    public SqliteItemStore Items => _stores.Items;
    public FolderModelBlobStore Models => _stores.Models;

    public async Task StoreAsync() => await Data.StoreAsync(Items, Events, TestContext.Current.CancellationToken);

    /// <summary>Trains on the stored events and promotes the model as <paramref name="version"/>.</summary>
    public async Task<ModelArtifact> PublishAsync(string version, IModelBlobStore? store = null, ModelArtifact? artifact = null)
    {
        artifact ??= await Trainer.TrainAsync(Events.ReadAllAsync(cancellationToken: TestContext.Current.CancellationToken), new TrainerOptions());
        await PublishAsync(store ?? Models, version, artifact);
        return artifact;
    }

    public static async Task PublishAsync(IModelBlobStore store, string version, ModelArtifact artifact)
    {
        using (var bytes = new MemoryStream())
        {
            artifact.Save(bytes);
            bytes.Position = 0;
            await store.PutAsync(ModelBlobNames.Artifact(version), bytes, BlobCondition.None);
        }

        var pointer = new ModelPointer { Version = version, ArtifactBlob = ModelBlobNames.Artifact(version), PromotedAt = DateTimeOffset.UtcNow, Reason = "test" };
        using var json = new MemoryStream(pointer.ToJson());
        await store.PutAsync(ModelBlobNames.Current, json, BlobCondition.None);
    }

    public RecommendationService Service(ServingOptions? options = null, IModelBlobStore? models = null) =>
        Service(Events, ServedLists, Items, models ?? Models, options);

    public static RecommendationService Service(IEventStore events, IServedListStore lists, IItemStore items, IModelBlobStore models, ServingOptions? options = null)
    {
        options ??= new ServingOptions();
        // Exploration draws are seeded so that every test sees the same lists run after run.
        options.ExplorationSeed ??= 1;
        return new RecommendationService(new ModelCache(models, options), items, events, lists, options);
    }

    /// <summary>Adds <paramref name="count"/> catalogue items nobody ever touched, created a year ago (not new): items the model does not know.</summary>
    public async Task AddUntouchedItemsAsync(int count)
    {
        var untouched = Enumerable.Range(0, count)
            .Select(i => new CatalogItem { ItemId = $"untouched-{i:D2}", Title = $"Untouched {i}", CreatedAt = DateTimeOffset.UtcNow.AddDays(-365) })
            .ToList();
        await Items.UpsertAsync(untouched, TestContext.Current.CancellationToken);
    }

    /// <summary>A user of the shop with several events.</summary>
    public string ActiveUser(int rank = 0) =>
        Data.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ElementAt(rank).Key;

    public static BehaviorEvent Event(string userId, string itemId, EventType type, string? sessionId = null, DateTimeOffset? at = null) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        UserId = userId,
        ItemId = itemId,
        Type = type,
        Timestamp = at ?? DateTimeOffset.UtcNow.AddSeconds(-1),
        SessionId = sessionId,
    };

    public CatalogItem Item(string itemId) => Data.Items.Single(i => i.ItemId == itemId);

    public void Dispose() => _stores.Dispose();
}
