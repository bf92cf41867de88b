using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Embeddings;

namespace ServerlessReco.Hosting;

/// <summary>
/// The one place every host (Functions, local host, CLI) composes the product, to be read top to bottom: the
/// settings, which storage, the event store with its decorators, then the services on top. Nothing registered
/// here is replaced or moved later, and no factory waits on I/O: what the stores need created in Azure is
/// created when the host starts (<see cref="StorageSchema"/>).
/// </summary>
public static class RecoComposition
{
    public static IServiceCollection AddRecoCore(this IServiceCollection services, IConfiguration configuration)
    {
        // 1. Which storage: decided once, from the settings, before anything is registered.
        var storage = StoragePlan.From(configuration);
        services.AddSingleton(storage);

        // 2. Settings, bound from their sections and checked when the host starts.
        services.TryAddSingleton(configuration); // BindConfiguration reads it from the container; hosts have registered it already
        services.AddRecoSettings(storage);

        // 3. The stores the plan names, and the start-up step that creates their databases and containers.
        services.AddSingleton(TimeProvider.System);
        services.AddStoreRetention();
        if (storage.EventsInCosmos)
        {
            services.AddCosmosStores();
        }
        else
        {
            services.AddSqliteStores();
        }

        if (storage.ModelsInBlob)
        {
            services.AddBlobModelStore();
        }
        else
        {
            services.AddFolderModelStore();
        }

        services.AddSingleton<StorageSchema>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageSchema>());

        // 4. The event and served-list stores every consumer gets: the adapter the plan names, wrapped by each decorator in turn. The
        //    bare adapter is never registered, so nothing can reach a store without passing the decorators.
        services.AddSingleton(sp => PseudonymKey.Pseudonymiser(sp, storage));
        services.AddSingleton(sp => new PseudonymisingEventStore( // no raw user id is stored
            storage.EventsInCosmos ? StoreAdapters.CosmosEvents(sp) : StoreAdapters.SqliteEvents(sp), sp.GetRequiredService<UserPseudonymiser>()));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<PseudonymisingEventStore>());
        services.AddSingleton<IEventChangeFeed>(sp => sp.GetRequiredService<PseudonymisingEventStore>()); // training's read: rows as stored
        services.AddSingleton<IServedListStore>(sp => new PseudonymisingServedListStore(
            storage.EventsInCosmos ? StoreAdapters.CosmosServedLists(sp) : StoreAdapters.SqliteServedLists(sp),
            sp.GetRequiredService<UserPseudonymiser>()));

        // 5. What runs on the stores.
        services.AddSingleton(Ingestion);
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ErasureLog>();
        services.AddSingleton<UserErasure>();
        services.AddSingleton(sp => RecoSettings.RetrainOptionsFrom(sp.GetRequiredService<IOptions<RecoOptions>>().Value, sp.GetRequiredService<IOptions<Core.Serving.ServingOptions>>().Value));
        services.AddTrainingSteps();

        services.AddSingleton<RetrainService>();

        // ASP.NET Core logs every request's path at Information, and user routes carry the raw id
        // (/api/users/{userId}/...): only its warnings are kept.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        return services;
    }

    /// <summary>The retrain's optional steps: the content model, and the click model's trainer (LightGBM; serving never loads it).</summary>
    private static void AddTrainingSteps(this IServiceCollection services)
    {
        services.AddContentModel();
        services.AddSingleton<Core.Clicks.IClickModelTrainer>(new ClickTraining.LightGbmClickTrainer());
    }

    /// <summary>
    /// The content model the retrain embeds the catalogue with, as the bound <see cref="RecoOptions"/> say (on or off, the
    /// time budget of a run): with <see cref="RecoOptions.ContentModel"/> off the step resolves to null and the retrain
    /// runs without it. The network loads on first use, so a host that only serves never loads it.
    /// </summary>
    private static void AddContentModel(this IServiceCollection services)
    {
        services.AddSingleton<IItemEmbedder, MiniLmItemEmbedder>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RecoOptions>>().Value is { ContentModel: true } reco
            ? new CatalogEmbedding(
                sp.GetRequiredService<IItemStore>(), sp.GetRequiredService<IItemEmbedder>(), sp.GetRequiredService<IModelBlobStore>(),
                new ContentOptions { EmbeddingBudget = TimeSpan.FromSeconds(reco.ContentEmbeddingBudgetSeconds) }, sp.GetRequiredService<TimeProvider>())
            : null!); // the container hands out null for "off": RetrainService takes the step as optional, the CLI asks GetService
    }

    /// <summary>Ingestion on the decorated stores, with the catalogue's size cap (<see cref="RecoOptions.MaxCatalogItems"/>).</summary>
    private static IngestionService Ingestion(IServiceProvider sp) => new(
        sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IItemStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RetentionPolicy>(),
        sp.GetRequiredService<IOptions<RecoOptions>>().Value.MaxCatalogItems);

    /// <summary>In words, which storage is in use: logged at start so nobody wonders where the data went.</summary>
    public static string DescribeStorage(IServiceProvider services) =>
        services.GetRequiredService<StoragePlan>().Describe(services);
}
