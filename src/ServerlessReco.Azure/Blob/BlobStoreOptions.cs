namespace ServerlessReco.Azure.Blob;

/// <summary>
/// Where model blobs live. Give either <see cref="ServiceUri"/> (with a managed identity in production) or a
/// <see cref="ConnectionString"/> (local development, Azurite).
/// </summary>
public sealed class BlobStoreOptions
{
    public const string Section = "ModelBlobs";

    /// <summary>The blob service endpoint, e.g. https://myaccount.blob.core.windows.net/.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>A storage connection string: wins over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The client id of a user-assigned managed identity; null uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public string ContainerName { get; set; } = "models";

    /// <summary>Creates the container when it is missing.</summary>
    public bool CreateIfMissing { get; set; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
        {
            throw new InvalidOperationException("Blob storage needs a ServiceUri or a ConnectionString.");
        }

        if (string.IsNullOrWhiteSpace(ContainerName))
        {
            throw new InvalidOperationException("Blob storage ContainerName must not be empty.");
        }
    }
}
