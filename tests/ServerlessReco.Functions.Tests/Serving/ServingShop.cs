using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;

namespace ServerlessReco.Functions.Tests.Serving;

/// <summary>
/// The sample shop in an embedded store with a model trained on it and promoted through the model blob store
/// (artifact, then models/current.json), as the retraining will do in production.
/// </summary>
public sealed class ServingShop : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-serve-").FullName;

    public ServingShop()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "reco.db"));
        var retention = new RetentionPolicy(0);
        Events = new SqliteEventStore(database, retention);
        Items = new SqliteItemStore(database);
        Models = new FolderModelBlobStore(Path.Combine(_folder, "models"));
        Data = SampleShop.Generate(7, DateTimeOffset.UtcNow);
    }

    public SampleShopData Data { get; }
    public SqliteEventStore Events { get; }
    public SqliteItemStore Items { get; }
    public FolderModelBlobStore Models { get; }

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
        Service(Events, Items, models ?? Models, options);

    public static RecommendationService Service(IEventStore events, IItemStore items, IModelBlobStore models, ServingOptions? options = null)
    {
        options ??= new ServingOptions();
        // Exploration draws are seeded so that every test sees the same lists run after run.
        options.ExplorationSeed ??= 1;
        return new RecommendationService(new ModelCache(models, options), items, events, options);
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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A model blob store that is unreachable.</summary>
public sealed class UnreachableModelStore : IModelBlobStore
{
    public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => throw Down();

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw Down();

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    private static HttpRequestException Down() => new("The blob service is unreachable.");
}

/// <summary>A model blob store that can be switched off after it served a model.</summary>
public sealed class SwitchableModelStore(IModelBlobStore inner) : IModelBlobStore
{
    public bool Down { get; set; }

    public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => inner.PutAsync(name, content, condition, cancellationToken);

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Down ? throw new HttpRequestException("down") : inner.GetAsync(name, cancellationToken);

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) =>
        Down ? throw new HttpRequestException("down") : inner.GetETagAsync(name, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
}
