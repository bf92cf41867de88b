using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Azure;

/// <summary>
/// Builds the SDK clients from settings: keyless with an Entra ID credential (a managed identity in Azure,
/// the developer's sign-in elsewhere) unless a key or connection string is given. Clients are meant to be
/// created once and shared for the life of the process.
/// </summary>
public static class AzureClientFactory
{
    public static CosmosClient CreateCosmosClient(CosmosStoreOptions options, Action<CosmosClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "ServerlessReco",
            ConnectionMode = options.ConnectionMode,
            LimitToEndpoint = options.LimitToEndpoint,
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,
        };
        configure?.Invoke(clientOptions);

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new CosmosClient(options.ConnectionString, clientOptions);
        }

        var endpoint = options.Endpoint!.ToString();
        return string.IsNullOrWhiteSpace(options.Key)
            ? new CosmosClient(endpoint, CreateCredential(options.ClientId), clientOptions)
            : new CosmosClient(endpoint, options.Key, clientOptions);
    }

    public static BlobServiceClient CreateBlobServiceClient(BlobStoreOptions options, BlobClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.BlobServiceUri, CreateCredential(options.ClientId), clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>
    /// The default credential chain, pointed at a user-assigned identity when its client id is given
    /// (in Azure the chain then reaches that managed identity; on a workstation, the developer's sign-in).
    /// </summary>
    public static TokenCredential CreateCredential(string? managedIdentityClientId) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId,
        });
}
