using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>The host settings that point the composition at the emulators, as an app's settings would.</summary>
internal static class EmulatorSettings
{
    public static Dictionary<string, string?> For(CosmosStoreOptions cosmos, BlobStoreOptions blobs, int retentionDays) => new()
    {
        ["Reco:RetentionDays"] = retentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cosmos:Endpoint"] = cosmos.Endpoint!.ToString(),
        ["Cosmos:Key"] = cosmos.Key,
        ["Cosmos:Database"] = cosmos.Database,
        ["Cosmos:ConnectionMode"] = "Gateway",
        ["Cosmos:LimitToEndpoint"] = "true",
        ["ModelStorage:ConnectionString"] = blobs.ConnectionString,
        ["ModelStorage:Container"] = blobs.Container,
    };
}
