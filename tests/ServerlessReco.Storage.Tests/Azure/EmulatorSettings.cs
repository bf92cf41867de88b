using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>The host settings that point the composition at the emulators, as an app's settings would.</summary>
internal static class EmulatorSettings
{
    /// <summary>A fixed test key: Cosmos DB refuses to start without one.</summary>
    public const string PseudonymKey = "dGVzdC1wc2V1ZG9ueW0ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXM=";

    public static Dictionary<string, string?> For(CosmosStoreOptions cosmos, BlobStoreOptions blobs, int retentionDays) => new()
    {
        ["Reco:PseudonymKey"] = PseudonymKey,
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
