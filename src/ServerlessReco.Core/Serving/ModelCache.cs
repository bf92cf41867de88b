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
/// A promoted artifact that fails its checks (checksum, array shapes: <see cref="ArtifactIntegrity"/>) is refused: the
/// model already loaded keeps serving, the reason is logged once, and the same blob (same entity tag) is not downloaded
/// again; a new promotion, or the blob replaced, is tried afresh.
/// </summary>
public sealed class ModelCache
{
    private readonly IModelBlobStore _store;
    private readonly TimeProvider _time;
    private readonly Refreshing<ServingModel> _current;
    private readonly ILogger _logger;
    private Refusal? _refused;

    public ModelCache(IModelBlobStore store, ServingOptions options, TimeProvider? time = null, ILogger<ModelCache>? logger = null)
    {
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModelCache>.Instance;
        _current = new Refreshing<ServingModel>(
            "model", LoadAsync, options.ModelCheckInterval, options.FirstLoadWait, _time, _logger, LogLevel.Information,
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
        if (etag is null || etag == previous?.PointerETag || etag == _refused?.PointerETag)
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

        if (_refused is { } refused && refused.Version == pointer.Version
            && await _store.GetETagAsync(pointer.ArtifactBlob, cancellationToken) == refused.ArtifactETag)
        {
            _refused = refused with { PointerETag = pointerETag }; // promoted again, still the same damaged blob
            return previous;
        }

        using var artifactDownload = await _store.GetAsync(pointer.ArtifactBlob, cancellationToken)
            ?? throw new InvalidDataException($"'{pointer.ArtifactBlob}', named by {ModelBlobNames.Current}, does not exist.");

        // Read the whole blob first: the artifact reader makes many small reads, cheap in memory, slow on a network stream.
        using var buffer = new MemoryStream();
        await artifactDownload.Content.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        try
        {
            var loaded = new ServingModel(pointer, pointerETag, new Recommender(ModelArtifact.Load(buffer)), _time.GetUtcNow());
            _refused = null;
            return loaded;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException)
        {
            _refused = new Refusal(pointerETag, pointer.Version, artifactDownload.ETag);
            _logger.LogWarning(
                "Serving refused model version {Version} ({Reason}); it keeps serving {ServingVersion} and does not download this blob again",
                pointer.Version, e.Message, previous?.Version ?? "popularity (no model yet)");
            return previous;
        }
    }

    /// <summary>A promoted artifact that failed its checks: the pointer tag it came with, its version and its blob's tag.</summary>
    private sealed record Refusal(string PointerETag, string Version, string ArtifactETag);
}
