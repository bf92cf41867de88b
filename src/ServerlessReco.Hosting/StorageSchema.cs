using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Hosting;

/// <summary>
/// Creates what the Azure stores need (the Cosmos DB database and containers, the models' Blob container) when
/// the host starts, asynchronously, so that bad settings or missing rights stop the start with a message that says
/// what to fix, rather than fail a request. The CLI, which has no host, calls <see cref="EnsureAsync"/> itself.
/// The embedded store needs nothing here: SQLite creates its tables when it is opened.
/// </summary>
/// <remarks>
/// REVIEW: in the Functions app the worker's own hosted service starts first, so on a fresh account the first
/// invocations could race this step; in Azure the infrastructure creates the containers, and this only reads them.
/// </remarks>
public sealed class StorageSchema(StoragePlan storage, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates what is missing; throws <see cref="StorageSchemaException"/> naming the setting to check.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (storage.EventsInCosmos)
        {
            var options = services.GetRequiredService<IOptions<CosmosStoreOptions>>().Value;
            await Explained(
                () => CosmosSchema.EnsureAsync(
                    services.GetRequiredService<CosmosClient>(), options, services.GetRequiredService<RetentionPolicy>(), cancellationToken,
                    services.GetRequiredService<StoreRetention>().ServedLists),
                e => CosmosProblem(options, e)).ConfigureAwait(false);
        }

        if (storage.ModelsInBlob)
        {
            var options = services.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
            await Explained(
                () => BlobModelStore.EnsureContainerAsync(services.GetRequiredService<BlobContainerClient>(), options, cancellationToken),
                e => BlobProblem(options, e)).ConfigureAwait(false);
        }
    }

    private static async Task Explained(Func<Task> step, Func<Exception, string> explain)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StorageSchemaException(explain(e), e);
        }
    }

    private static string CosmosProblem(CosmosStoreOptions options, Exception error)
    {
        var where = $"Cosmos DB database '{options.Database}' (containers '{options.EventsContainer}', '{options.ItemsContainer}') at {options.Endpoint?.ToString() ?? "the connection string's account"}";
        return error switch
        {
            CosmosException { StatusCode: System.Net.HttpStatusCode.NotFound } =>
                $"{where} does not exist and Cosmos:CreateIfMissing is false: create them (infra/app/database.bicep does) or set Cosmos__CreateIfMissing=true.",
            CosmosException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } e =>
                $"{where} refused access ({(int)e.StatusCode} {e.StatusCode}): check Cosmos__Key or Cosmos__ConnectionString, or give the app's identity (Cosmos__ClientId) a Cosmos DB data-plane role.",
            CosmosException e => $"{where} could not be prepared: {(int)e.StatusCode} {e.StatusCode}. Check the Cosmos__ settings.",
            _ => $"{where} could not be prepared: {FirstLine(error.Message)} Check the Cosmos__ settings.",
        };
    }

    private static string BlobProblem(BlobStoreOptions options, Exception error)
    {
        var where = $"Blob container '{options.Container}' at {options.BlobServiceUri?.ToString() ?? "the connection string's account"}";
        return error switch
        {
            RequestFailedException { Status: 401 or 403 } e =>
                $"{where} refused access ({e.Status} {e.ErrorCode}): check ModelStorage__ConnectionString, or give the app's identity (ModelStorage__ClientId) the Storage Blob Data Contributor role.",
            RequestFailedException e => $"{where} could not be created: {e.Status} {e.ErrorCode}. Check the ModelStorage__ settings.",
            _ => $"{where} could not be prepared: {FirstLine(error.Message)} Check the ModelStorage__ settings.",
        };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>The storage a host is configured for could not be prepared; the message says which setting or right to check.</summary>
public sealed class StorageSchemaException(string message, Exception inner) : InvalidOperationException(message, inner);
