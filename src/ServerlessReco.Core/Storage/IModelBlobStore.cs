namespace ServerlessReco.Core.Storage;

/// <summary>
/// Named binary objects with entity tags: where trained models and the pointer to the current one live
/// (Blob storage in Azure, a folder locally). The conditions make "promote" a compare-and-swap.
/// </summary>
public interface IModelBlobStore
{
    /// <summary>
    /// Writes <paramref name="content"/> under <paramref name="name"/> if <paramref name="condition"/> holds,
    /// and returns the new entity tag. Throws <see cref="BlobConditionFailedException"/> when it does not.
    /// </summary>
    Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default);

    /// <summary>The object's content and entity tag, or null when there is none.</summary>
    Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The object's entity tag without its content (a cheap "has it changed?"), or null.</summary>
    Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Names that start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A downloaded object: the caller disposes <see cref="Content"/>.</summary>
public sealed record BlobDownload(Stream Content, string ETag) : IDisposable
{
    public void Dispose() => Content.Dispose();
}

/// <summary>When a write may happen.</summary>
public readonly record struct BlobCondition
{
    private BlobCondition(BlobConditionKind kind, string? etag) => (Kind, ETag) = (kind, etag);

    public BlobConditionKind Kind { get; }
    public string? ETag { get; }

    /// <summary>Always (overwrite whatever is there).</summary>
    public static BlobCondition None => new(BlobConditionKind.None, null);

    /// <summary>Only if nothing has that name yet.</summary>
    public static BlobCondition IfNotExists => new(BlobConditionKind.IfNotExists, null);

    /// <summary>Only if the object still has this entity tag.</summary>
    public static BlobCondition IfMatch(string etag) => new(BlobConditionKind.IfMatch, etag);
}

public enum BlobConditionKind
{
    None,
    IfNotExists,
    IfMatch,
}

/// <summary>A conditional write whose condition did not hold: somebody else wrote first.</summary>
public sealed class BlobConditionFailedException(string name)
    : Exception($"The condition on '{name}' did not hold: it was changed by another writer.")
{
    public string Name { get; } = name;
}
