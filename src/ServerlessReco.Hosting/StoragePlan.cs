using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// Which storage the host runs on, decided once from the settings: events and items in Cosmos DB when section
/// <c>Cosmos</c> gives an <c>Endpoint</c> or a <c>ConnectionString</c>, models in Blob storage when section
/// <c>ModelStorage</c> gives a <c>BlobServiceUri</c> or a <c>ConnectionString</c>; the embedded store (SQLite and a
/// folder) for whatever is not configured, so that a fresh machine runs with no Azure account.
/// </summary>
public sealed record StoragePlan(bool EventsInCosmos, bool ModelsInBlob)
{
    public static StoragePlan From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new StoragePlan(
            HasAny(configuration.GetSection(CosmosStoreOptions.Section), nameof(CosmosStoreOptions.Endpoint), nameof(CosmosStoreOptions.ConnectionString)),
            HasAny(configuration.GetSection(BlobStoreOptions.Section), nameof(BlobStoreOptions.BlobServiceUri), nameof(BlobStoreOptions.ConnectionString)));
    }

    /// <summary>Whether anything is in Azure.</summary>
    public bool UsesAzure => EventsInCosmos || ModelsInBlob;

    /// <summary>The plan in words, with the places the settings name.</summary>
    public string Describe(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!UsesAzure)
        {
            var embedded = services.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value;
            return $"embedded: SQLite at {Path.GetFullPath(embedded.DatabasePath)}, models in {Path.GetFullPath(embedded.ModelsPath)}";
        }

        var parts = new List<string>();
        if (EventsInCosmos)
        {
            var options = services.GetRequiredService<IOptions<CosmosStoreOptions>>().Value;
            var where = options.Endpoint?.ToString() ?? "the connection string's account";
            parts.Add($"Cosmos DB at {where}, database {options.Database} (containers {options.EventsContainer}, {options.ItemsContainer})");
        }

        if (ModelsInBlob)
        {
            var options = services.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
            var where = options.BlobServiceUri?.ToString() ?? "the connection string's account";
            parts.Add($"models in Blob storage at {where}, container {options.Container}");
        }

        return "azure: " + string.Join("; ", parts) + (EventsInCosmos && ModelsInBlob ? "" : " (the rest embedded)");
    }

    private static bool HasAny(IConfigurationSection section, params string[] keys) =>
        keys.Any(key => !string.IsNullOrWhiteSpace(section[key]));
}
