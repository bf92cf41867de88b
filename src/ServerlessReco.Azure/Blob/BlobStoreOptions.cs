namespace ServerlessReco.Azure.Blob;

/// <summary>
/// Where model blobs live. Give either <see cref="BlobServiceUri"/> (with a managed identity in production) or a
/// <see cref="ConnectionString"/> (local development, Azurite).
/// </summary>
public sealed class BlobStoreOptions
{
    public const string Section = "ModelStorage";

    /// <summary>The blob service endpoint, e.g. https://myaccount.blob.core.windows.net/.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>A storage connection string: wins over <see cref="BlobServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The client id of a user-assigned managed identity; null uses the default credential chain.</summary>
    public string? ClientId { get; set; }

    public string Container { get; set; } = "models";

    /// <summary>Creates the container when it is missing.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>What is wrong with these settings, in words, or null when nothing is.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(ConnectionString) && BlobServiceUri is null ? "Blob storage needs a BlobServiceUri or a ConnectionString."
        : string.IsNullOrWhiteSpace(Container) ? "Blob storage Container must not be empty."
        : null;

    internal void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
