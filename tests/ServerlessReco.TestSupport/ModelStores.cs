using ServerlessReco.Core.Storage;

namespace ServerlessReco.TestSupport;

/// <summary>A model blob store that is unreachable.</summary>
public sealed class UnreachableModelStore : IModelBlobStore
{
    public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => throw Down();

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw Down();

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw Down();

    private static HttpRequestException Down() => new("The blob service is unreachable.");
}

/// <summary>A model blob store that can be switched off after it served a model.</summary>
public sealed class SwitchableModelStore(IModelBlobStore inner) : IModelBlobStore
{
    public bool Down { get; set; }

    public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => inner.PutAsync(name, content, condition, cancellationToken);

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Down ? throw new HttpRequestException("down") : inner.GetAsync(name, cancellationToken);

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) =>
        Down ? throw new HttpRequestException("down") : inner.GetETagAsync(name, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
}
