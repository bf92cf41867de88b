using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;

namespace ServerlessReco.Hosting;

/// <summary>
/// Optional changes to the SDK clients' options before the clients are built, registered by a host that wants them
/// (the CLI's fault-injection run adds a Cosmos DB request handler and a Blob pipeline policy). The Function app and the
/// local host register none: their clients are built exactly from the settings.
/// </summary>
public sealed record StoreClientHooks(Action<CosmosClientOptions>? Cosmos = null, Action<BlobClientOptions>? Blob = null);
