using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Azure.Blob;

/// <summary>
/// Model blobs in one Blob storage container. Conditional writes map onto blob request conditions, so that
/// "promote this model" is a compare-and-swap on the manifest's ETag.
/// </summary>
public sealed class BlobModelStore : IModelBlobStore
{
    private readonly BlobContainerClient _container;

    public BlobModelStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <summary>The store on the configured container, created first when it is missing and the options allow.</summary>
    public static async Task<BlobModelStore> CreateAsync(
        BlobServiceClient service, BlobStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var container = service.GetBlobContainerClient(options.Container);
        await EnsureContainerAsync(container, options, cancellationToken).ConfigureAwait(false);
        return new BlobModelStore(container);
    }

    /// <summary>Creates the container when it is missing and <see cref="BlobStoreOptions.CreateIfMissing"/> allows.</summary>
    public static async Task EnsureContainerAsync(BlobContainerClient container, BlobStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CreateIfMissing)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);

        var conditions = condition.Kind switch
        {
            BlobConditionKind.None => null,
            BlobConditionKind.IfNotExists => new BlobRequestConditions { IfNoneMatch = ETag.All },
            BlobConditionKind.IfMatch => new BlobRequestConditions { IfMatch = new ETag(condition.ETag ?? "") },
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Kind, "Unknown blob condition."),
        };

        try
        {
            var response = await _container.GetBlobClient(name)
                .UploadAsync(content, new BlobUploadOptions { Conditions = conditions }, cancellationToken)
                .ConfigureAwait(false);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (conditions is not null && IsConditionFailure(ex, condition.Kind))
        {
            throw new BlobConditionFailedException(name);
        }
    }

    public async Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var response = await _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return new BlobDownload(response.Value.Content, response.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var properties = await _container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return properties.Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);

        // The service lists in its own collation; the contract promises ordinal order, so sort here.
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(blob.Name);
        }

        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            yield return name;
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var response = await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Value;
    }

    /// <summary>
    /// 412 is a failed If-Match or If-None-Match; 409 (BlobAlreadyExists) is If-None-Match: * on an existing blob;
    /// 404 is If-Match on a blob that no longer exists: all mean another writer got there first.
    /// </summary>
    private static bool IsConditionFailure(RequestFailedException ex, BlobConditionKind kind) =>
        ex.Status == (int)HttpStatusCode.PreconditionFailed
        || ex.Status == (int)HttpStatusCode.Conflict
        || (kind == BlobConditionKind.IfMatch && ex.Status == (int)HttpStatusCode.NotFound);
}
