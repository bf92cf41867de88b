using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// The current model of this instance. Loaded from the model blob store once; afterwards at most every
/// <see cref="ServingOptions.ModelCheckInterval"/> a background check reads only the entity tag of
/// <c>models/current.json</c> and, when it changed, downloads the newly promoted artifact and swaps it in
/// atomically: requests never wait on a download except the very first (at most
/// <see cref="ServingOptions.FirstLoadWait"/>). With no model promoted yet, or the store unreachable, it
/// reports no model (null) and never throws to the caller; a failed check keeps the model already loaded.
/// </summary>
public sealed class ModelCache
{
    private readonly IModelBlobStore _store;
    private readonly TimeProvider _time;
    private readonly Refreshing<ServingModel> _current;

    public ModelCache(IModelBlobStore store, ServingOptions options, TimeProvider? time = null, ILogger<ModelCache>? logger = null)
    {
        _store = store;
        _time = time ?? TimeProvider.System;
        _current = new Refreshing<ServingModel>(
            "model", LoadAsync, options.ModelCheckInterval, options.FirstLoadWait, _time, logger ?? NullLogger<ModelCache>.Instance, LogLevel.Information,
            () => Changed?.Invoke());
    }

    /// <summary>Raised (on a background thread) after a different model was swapped in.</summary>
    public event Action? Changed;

    /// <summary>The model serving now, or null; never waits and never starts a check.</summary>
    public ServingModel? Current => _current.Value;

    /// <summary>The model serving now, or null; starts a background check when one is due.</summary>
    public ValueTask<ServingModel?> GetAsync(CancellationToken cancellationToken = default) => _current.GetAsync(cancellationToken);

    /// <summary>Checks now and waits for the result (warm-up, tests, benchmarks).</summary>
    public async Task<ServingModel?> RefreshAsync()
    {
        await _current.RefreshAsync();
        return Current;
    }

    private async Task<ServingModel?> LoadAsync(ServingModel? previous, CancellationToken cancellationToken)
    {
        var etag = await _store.GetETagAsync(ModelBlobNames.Current, cancellationToken);
        if (etag is null || etag == previous?.PointerETag)
        {
            // Nothing promoted (keep what serves, if anything), or nothing changed: no download.
            return previous;
        }

        ModelPointer pointer;
        string pointerETag;
        using (var download = await _store.GetAsync(ModelBlobNames.Current, cancellationToken))
        {
            if (download is null)
            {
                return previous;
            }

            pointer = ModelPointer.FromJson(download.Content);
            pointerETag = download.ETag;
        }

        if (previous is not null && previous.Version == pointer.Version)
        {
            return previous with { Pointer = pointer, PointerETag = pointerETag };
        }

        using var artifactDownload = await _store.GetAsync(pointer.ArtifactBlob, cancellationToken)
            ?? throw new InvalidDataException($"'{pointer.ArtifactBlob}', named by {ModelBlobNames.Current}, does not exist.");

        // Read the whole blob first: the artifact reader makes many small reads, cheap in memory, slow on a network stream.
        using var buffer = new MemoryStream();
        await artifactDownload.Content.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var artifact = ModelArtifact.Load(buffer);
        return new ServingModel(pointer, pointerETag, new Recommender(artifact), _time.GetUtcNow());
    }
}
