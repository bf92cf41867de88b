using Azure.Storage.Blobs;
using ServerlessReco.Azure;
using ServerlessReco.Azure.Blob;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// Azurite, as tests/run.sh starts it (RECO_TEST_BLOB_CONNECTION_STRING). Without it the Blob tests skip,
/// unless RECO_TEST_REQUIRE_EMULATORS=1: then they fail.
/// </summary>
internal static class BlobEmulator
{
    private const string ConnectionStringVariable = "RECO_TEST_BLOB_CONNECTION_STRING";

    private static readonly Lazy<BlobServiceClient> SharedClient = new(() =>
        AzureClientFactory.CreateBlobServiceClient(FreshOptions()));

    public static BlobServiceClient Client
    {
        get
        {
            EmulatorRequirement.SkipOrFailUnlessSet(ConnectionStringVariable);
            return SharedClient.Value;
        }
    }

    /// <summary>Options naming a container no other test uses.</summary>
    public static BlobStoreOptions FreshOptions() => new()
    {
        ConnectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable),
        Container = $"t{Guid.NewGuid():N}",
    };
}
