using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Hosting;

/// <summary>
/// Puts Cosmos DB and Blob storage in place of the embedded adapters where their settings are given:
/// section <c>Cosmos</c> (<c>Endpoint</c> with a managed identity, or <c>Endpoint</c>+<c>Key</c>, or
/// <c>ConnectionString</c>) for events and items; section <c>ModelStorage</c> (<c>BlobServiceUri</c> or
/// <c>ConnectionString</c>) for models. In Azure app settings: <c>Cosmos__Endpoint</c>,
/// <c>Cosmos__ClientId</c>, <c>ModelStorage__BlobServiceUri</c> and so on.
/// </summary>
public static class AzureStorageRegistration
{
    public static IServiceCollection AddAzureStorageWhereConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        var cosmos = configuration.GetSection(CosmosStoreOptions.Section);
        var blobs = configuration.GetSection(BlobStoreOptions.Section);
        var useCosmos = EventsGoToCosmos(configuration);
        var useBlobs = HasAny(blobs, nameof(BlobStoreOptions.BlobServiceUri), nameof(BlobStoreOptions.ConnectionString));

        if (useCosmos)
        {
            services.AddOptions<CosmosStoreOptions>().Bind(cosmos);
            services.AddSingleton(sp => AzureClientFactory.CreateCosmosClient(sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value));
            services.AddSingleton(sp =>
            {
                // REVIEW: blocks once, on the first resolution (the warm-up below makes that the host's start), to
                // create missing containers; the stores themselves are synchronous to construct.
                var options = sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value;
                return CosmosSchema.EnsureAsync(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(), options, sp.GetRequiredService<RetentionPolicy>())
                    .GetAwaiter().GetResult();
            });
            services.Replace(ServiceDescriptor.Singleton<IEventStore>(sp => new CosmosEventStore(
                sp.GetRequiredService<CosmosContainers>().Events,
                sp.GetRequiredService<RetentionPolicy>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value.MaxParallelWrites)));
            services.Replace(ServiceDescriptor.Singleton<IItemStore>(sp => new CosmosItemStore(
                sp.GetRequiredService<CosmosContainers>().Items,
                sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value.MaxParallelWrites)));
        }

        if (useBlobs)
        {
            services.AddOptions<BlobStoreOptions>().Bind(blobs);
            services.Replace(ServiceDescriptor.Singleton<IModelBlobStore>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
                return BlobModelStore.CreateAsync(AzureClientFactory.CreateBlobServiceClient(options), options).GetAwaiter().GetResult();
            }));
        }

        if (useCosmos || useBlobs)
        {
            services.Replace(ServiceDescriptor.Singleton(sp => new StorageDescription(Describe(sp, useCosmos, useBlobs))));
            services.AddHostedService<AzureStorageWarmUp>();
        }

        return services;
    }

    /// <summary>Whether the settings send events (and items) to Cosmos DB.</summary>
    public static bool EventsGoToCosmos(IConfiguration configuration) =>
        HasAny(configuration.GetSection(CosmosStoreOptions.Section), nameof(CosmosStoreOptions.Endpoint), nameof(CosmosStoreOptions.ConnectionString));

    private static bool HasAny(IConfigurationSection section, params string[] keys) =>
        keys.Any(key => !string.IsNullOrWhiteSpace(section[key]));

    private static string Describe(IServiceProvider services, bool cosmos, bool blobs)
    {
        var parts = new List<string>();
        if (cosmos)
        {
            var options = services.GetRequiredService<IOptions<CosmosStoreOptions>>().Value;
            var where = options.Endpoint?.ToString() ?? "the connection string's account";
            parts.Add($"Cosmos DB at {where}, database {options.Database} (containers {options.EventsContainer}, {options.ItemsContainer})");
        }

        if (blobs)
        {
            var options = services.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
            var where = options.BlobServiceUri?.ToString() ?? "the connection string's account";
            parts.Add($"models in Blob storage at {where}, container {options.Container}");
        }

        return "azure: " + string.Join("; ", parts) + (cosmos && blobs ? "" : " (the rest embedded)");
    }

    /// <summary>Builds the Azure stores when the host starts, so that bad settings or missing rights fail the start, not a request.</summary>
    private sealed class AzureStorageWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<IEventStore>();
            _ = services.GetRequiredService<IItemStore>();
            _ = services.GetRequiredService<IModelBlobStore>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
