using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Training;
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
            .Validate(o => o.PromotionTolerance is >= 0 and < 1, "Reco:PromotionTolerance must be at least 0 and below 1 (0.02 = 2%).")
            .Validate(o => o.ModelVersionsToKeep >= 2, "Reco:ModelVersionsToKeep must be at least 2 (the champion and the one before it).")
            .Validate(o => o.RetrainMinimumEvents >= 1, "Reco:RetrainMinimumEvents must be at least 1.")
            .Validate(o => o.RetrainModel is "auto" or "ease" or "sar", "Reco:RetrainModel must be auto, ease or sar.")
            .ValidateOnStart();
        // Serving settings are read by retraining and the CLI too (the exploration settings decide what gets evaluated).
        services.AddOptions<ServingOptions>()
            .Bind(configuration.GetSection(ServingOptions.Section))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddOptions<EmbeddedStoreOptions>().Bind(configuration.GetSection(EmbeddedStoreOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RetentionPolicy(sp.GetRequiredService<IOptions<RecoOptions>>().Value.RetentionDays));
        services.AddSingleton<IngestionService>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton(sp => RetrainOptionsFrom(sp.GetRequiredService<IOptions<RecoOptions>>().Value, sp.GetRequiredService<IOptions<ServingOptions>>().Value));
        services.AddSingleton<RetrainService>();

        AddEmbeddedStorage(services);
        services.AddAzureStorageWhereConfigured(configuration);
        services.AddUserPseudonyms(AzureStorageRegistration.EventsGoToCosmos(configuration));
        return services;
    }

    /// <summary>
    /// The retrain settings: trained on the retention window, gated and pruned as configured; its report evaluates
    /// other exploration rates with the serving settings' budget and boost.
    /// </summary>
    public static RetrainOptions RetrainOptionsFrom(RecoOptions options, ServingOptions? serving = null) => new()
    {
        Exploration = ExplorationEvaluationOptions.From((serving ?? new ServingOptions()).ToExplorationSettings()),
        Trainer = new TrainerOptions { Model = options.RetrainModel },
        Tolerance = options.PromotionTolerance,
        VersionsToKeep = options.ModelVersionsToKeep,
        MinimumEvents = options.RetrainMinimumEvents,
        WindowDays = options.RetentionDays,
    };

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
