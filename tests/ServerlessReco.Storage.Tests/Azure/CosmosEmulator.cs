using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// The Cosmos DB test server that tests/run.sh starts (RECO_TEST_COSMOS_ENDPOINT, RECO_TEST_COSMOS_KEY).
/// Without it the Cosmos tests skip, unless RECO_TEST_REQUIRE_EMULATORS=1 says it must be there: then they fail.
/// Everything that relaxes security for the test server (plain http, its expired certificate) lives here only.
/// </summary>
internal static class CosmosEmulator
{
    private const string EndpointVariable = "RECO_TEST_COSMOS_ENDPOINT";
    private const string KeyVariable = "RECO_TEST_COSMOS_KEY";

    private static readonly Lazy<CosmosClient> SharedClient = new(CreateClient);

    /// <summary>The shared client, or the test is skipped (or failed, when the emulators are required).</summary>
    public static CosmosClient Client
    {
        get
        {
            EmulatorRequirement.SkipOrFailUnlessSet(EndpointVariable, KeyVariable);
            return SharedClient.Value;
        }
    }

    /// <summary>Options naming a database no other test uses.</summary>
    public static CosmosStoreOptions FreshOptions() => new()
    {
        Endpoint = new Uri(Environment.GetEnvironmentVariable(EndpointVariable)!),
        Key = Environment.GetEnvironmentVariable(KeyVariable),
        Database = $"t{Guid.NewGuid():N}",
        ConnectionMode = ConnectionMode.Gateway,
        LimitToEndpoint = true,
    };

    private static CosmosClient CreateClient()
    {
        // The test server cannot answer the gateway's query-plan request: the SDK then plans queries with its
        // bundled native library; optimistic direct execution makes COUNT work. tests/run.sh exports both;
        // set here too so that a plain `dotnet test` against a running server behaves the same.
        SetIfAbsent("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        SetIfAbsent("AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED", "true");

        var options = FreshOptions();
        return AzureClientFactory.CreateCosmosClient(options, clientOptions =>
        {
            if (options.Endpoint!.Scheme == Uri.UriSchemeHttps)
            {
                // The test server's self-signed certificate has expired: accept it, for this client only.
                clientOptions.HttpClientFactory = () => new HttpClient(new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
                });
            }
        });
    }

    private static void SetIfAbsent(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

/// <summary>Skip a test whose emulator is not configured, or fail it when RECO_TEST_REQUIRE_EMULATORS=1.</summary>
internal static class EmulatorRequirement
{
    public const string RequireVariable = "RECO_TEST_REQUIRE_EMULATORS";

    public static void SkipOrFailUnlessSet(params string[] variables)
    {
        var missing = variables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var message = $"{string.Join(", ", missing)} not set: run `bash tests/run.sh`, which starts the emulators.";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
