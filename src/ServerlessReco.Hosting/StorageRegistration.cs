using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// Chooses the storage adapters from settings: Cosmos DB and Blob storage when they are configured,
/// otherwise the embedded store, so that a fresh machine runs with no Azure account.
/// </summary>
public static class StorageRegistration
{
    public static IServiceCollection AddRecoCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecoOptions>()
            .Bind(configuration.GetSection(RecoOptions.Section))
            .Validate(o => o.RetentionDays >= 0, "Reco:RetentionDays must be 0 (keep forever) or more.")
            .ValidateOnStart();
        services.AddOptions<EmbeddedStoreOptions>().Bind(configuration.GetSection(EmbeddedStoreOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RetentionPolicy(sp.GetRequiredService<IOptions<RecoOptions>>().Value.RetentionDays));
        services.AddSingleton<IngestionService>();

        AddEmbeddedStorage(services);
        services.AddAzureStorageWhereConfigured(configuration);
        return services;
    }

    /// <summary>In words, which storage is in use: logged at start so nobody wonders where the data went.</summary>
    public static string DescribeStorage(IServiceProvider services) =>
        services.GetRequiredService<StorageDescription>().Text;

    private static void AddEmbeddedStorage(IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value.DatabasePath));
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddSingleton<IItemStore, SqliteItemStore>();
        services.AddSingleton<IModelBlobStore>(sp => new FolderModelBlobStore(sp.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value.ModelsPath));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value;
            return new StorageDescription($"embedded: SQLite at {Path.GetFullPath(options.DatabasePath)}, models in {Path.GetFullPath(options.ModelsPath)}");
        });
    }
}

/// <summary>Which storage the host runs on, in words.</summary>
public sealed record StorageDescription(string Text);
