using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// The storage adapters and the clients they share, built from their settings. Every factory here only builds
/// objects: no call reaches a database or an account until the host has started (<see cref="StorageSchema"/>).
/// </summary>
internal static class StoreAdapters
{
    public static IServiceCollection AddSqliteStores(this IServiceCollection services) => services
        .AddSingleton(sp => new SqliteDatabase(Options<EmbeddedStoreOptions>(sp).DatabasePath))
        .AddSingleton<IItemStore>(sp => new SqliteItemStore(sp.GetRequiredService<SqliteDatabase>()));

    public static IEventStore SqliteEvents(IServiceProvider services) =>
        new SqliteEventStore(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<RetentionPolicy>());

    public static IServedListStore SqliteServedLists(IServiceProvider services) =>
        new SqliteServedListStore(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<StoreRetention>().ServedLists);

    public static IServedListStore CosmosServedLists(IServiceProvider services) => new CosmosServedListStore(
        services.GetRequiredService<CosmosContainers>().ServedLists,
        services.GetRequiredService<StoreRetention>().ServedLists,
        services.GetRequiredService<TimeProvider>(),
        Options<CosmosStoreOptions>(services).MaxParallelWrites);

    public static IServiceCollection AddCosmosStores(this IServiceCollection services) => services
        .AddSingleton(sp => AzureClientFactory.CreateCosmosClient(Options<CosmosStoreOptions>(sp), sp.GetService<StoreClientHooks>()?.Cosmos))
        .AddSingleton(sp => CosmosSchema.Containers(sp.GetRequiredService<CosmosClient>(), Options<CosmosStoreOptions>(sp)))
        .AddSingleton<IItemStore>(sp => new CosmosItemStore(
            sp.GetRequiredService<CosmosContainers>().Items,
            Options<CosmosStoreOptions>(sp).MaxParallelWrites));

    public static IEventStore CosmosEvents(IServiceProvider services) => new CosmosEventStore(
        services.GetRequiredService<CosmosContainers>().Events,
        services.GetRequiredService<RetentionPolicy>(),
        services.GetRequiredService<TimeProvider>(),
        Options<CosmosStoreOptions>(services).MaxParallelWrites);

    public static IServiceCollection AddFolderModelStore(this IServiceCollection services) =>
        services.AddSingleton<IModelBlobStore>(sp => new FolderModelBlobStore(Options<EmbeddedStoreOptions>(sp).ModelsPath));

    public static IServiceCollection AddBlobModelStore(this IServiceCollection services) => services
        .AddSingleton(sp => AzureClientFactory.CreateBlobServiceClient(Options<BlobStoreOptions>(sp), BlobClientOptions(sp)))
        .AddSingleton(sp => sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Options<BlobStoreOptions>(sp).Container))
        .AddSingleton<IModelBlobStore>(sp => new BlobModelStore(sp.GetRequiredService<BlobContainerClient>()));

    /// <summary>The Blob client's options when a host registered <see cref="StoreClientHooks"/> (else the SDK's defaults).</summary>
    private static BlobClientOptions? BlobClientOptions(IServiceProvider services)
    {
        if (services.GetService<StoreClientHooks>()?.Blob is not { } configure)
        {
            return null;
        }

        var options = new BlobClientOptions();
        configure(options);
        return options;
    }

    private static T Options<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
