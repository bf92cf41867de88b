using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Models;

/// <summary>
/// Versioned models in a model blob store. A version is published by writing <c>models/{version}/model.bin</c>
/// and <c>models/{version}/metrics.json</c> (each only if absent), and promoted by replacing
/// <c>models/current.json</c> on the entity tag read before training (only-if-absent for the first model): of
/// two promotions from the same tag exactly one succeeds, the other's version stays published but unpromoted.
/// Nothing here ever rewrites a published version, so a crash at any point leaves the champion serving.
/// </summary>
public sealed class ModelRegistry(IModelBlobStore store, TimeProvider clock)
{
    /// <summary>The last retrain run (<see cref="RetrainState"/>).</summary>
    public const string StateBlob = "models/state.json";

    private const string ArtifactFile = "model.bin";

    public IModelBlobStore Store => store;

    /// <summary>A new version name: UTC time to the millisecond, then a random suffix (ordinal order = age).</summary>
    public static string NewVersion(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}"[..24];

    /// <summary>The pointer that serves and its entity tag; null before the first promotion.</summary>
    public async Task<CurrentModel?> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        using var download = await store.GetAsync(ModelBlobNames.Current, cancellationToken).ConfigureAwait(false);
        return download is null ? null : new CurrentModel(ModelPointer.FromJson(download.Content), download.ETag);
    }

    /// <summary>
    /// Writes the artifact, then its metrics, each only if absent. Throws <see cref="BlobConditionFailedException"/>
    /// if the version already exists (version names are never reused).
    /// </summary>
    public async Task PublishAsync(ModelArtifact artifact, ModelVersionRecord record, CancellationToken cancellationToken = default)
    {
        if (artifact.Manifest.Version != record.Version)
        {
            throw new ArgumentException("The artifact and its record name different versions.", nameof(record));
        }

        // REVIEW: the artifact is buffered in memory before upload (2× its size at peak); a temporary file would
        // halve that for catalogues far beyond the benchmarked 100k items.
        using (var buffer = new MemoryStream())
        {
            artifact.Save(buffer);
            buffer.Position = 0;
            await store.PutAsync(ModelBlobNames.Artifact(record.Version), buffer, BlobCondition.IfNotExists, cancellationToken).ConfigureAwait(false);
        }

        using var metrics = new MemoryStream(record.ToJson());
        await store.PutAsync(ModelBlobNames.Metrics(record.Version), metrics, BlobCondition.IfNotExists, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="version"/> serve, provided the pointer is still <paramref name="expected"/> (null: no
    /// pointer yet). Throws <see cref="BlobConditionFailedException"/> when another writer promoted first, and
    /// <see cref="UnknownModelVersionException"/> when the version has no artifact.
    /// </summary>
    public async Task<ModelPointer> PromoteAsync(string version, string reason, CurrentModel? expected, CancellationToken cancellationToken = default)
    {
        if (!IsValidVersionName(version) || await store.GetETagAsync(ModelBlobNames.Artifact(version), cancellationToken).ConfigureAwait(false) is null)
        {
            throw new UnknownModelVersionException(version);
        }

        var pointer = new ModelPointer
        {
            Version = version,
            ArtifactBlob = ModelBlobNames.Artifact(version),
            PromotedAt = clock.GetUtcNow(),
            Reason = reason,
            PreviousVersion = expected?.Pointer.Version,
        };
        using var json = new MemoryStream(pointer.ToJson());
        var condition = expected is null ? BlobCondition.IfNotExists : BlobCondition.IfMatch(expected.ETag);
        await store.PutAsync(ModelBlobNames.Current, json, condition, cancellationToken).ConfigureAwait(false);
        return pointer;
    }

    /// <summary>Promotes a named (usually earlier) version over whatever serves now: the admin's rollback.</summary>
    public async Task<ModelPointer> RollbackAsync(string version, string reason, CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        return await PromoteAsync(version, reason, current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored version, newest first, with its metrics and whether it serves.</summary>
    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var current = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var versions = await ListVersionFilesAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ModelVersionInfo>();
        foreach (var (version, files) in versions.OrderByDescending(p => p.Key, StringComparer.Ordinal))
        {
            result.Add(new ModelVersionInfo(
                version,
                current?.Pointer.Version == version,
                files.Contains(ArtifactFile),
                await ReadMetricsAsync(version, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }

    /// <summary>The metrics of one version, or null when it has none (or they cannot be read).</summary>
    public async Task<ModelVersionRecord?> ReadMetricsAsync(string version, CancellationToken cancellationToken = default)
    {
        using var download = await store.GetAsync(ModelBlobNames.Metrics(version), cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return null;
        }

        try
        {
            return ModelVersionRecord.FromJson(download.Content);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Loads a version's artifact, or null when there is none.</summary>
    public async Task<ModelArtifact?> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        using var download = await store.GetAsync(ModelBlobNames.Artifact(version), cancellationToken).ConfigureAwait(false);
        return download is null ? null : ModelArtifact.Load(download.Content);
    }

    /// <summary>A version's manifest (the artifact's header), or null when there is none.</summary>
    public async Task<ModelManifest?> ReadManifestAsync(string version, CancellationToken cancellationToken = default)
    {
        using var download = await store.GetAsync(ModelBlobNames.Artifact(version), cancellationToken).ConfigureAwait(false);
        return download is null ? null : ModelArtifact.ReadManifest(download.Content);
    }

    /// <summary>
    /// Deletes versions beyond the newest <paramref name="keep"/>, except the one that serves and the one it
    /// replaced; returns the versions deleted. The pointer is read again right before each version is deleted, so a
    /// version an operator rolls back to while this runs is kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> PruneAsync(int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var versions = await ListVersionFilesAsync(cancellationToken).ConfigureAwait(false);
        var deleted = new List<string>();
        foreach (var (version, files) in versions.OrderByDescending(p => p.Key, StringComparer.Ordinal).Skip(keep))
        {
            var current = (await GetCurrentAsync(cancellationToken).ConfigureAwait(false))?.Pointer;
            if (version == current?.Version || version == current?.PreviousVersion)
            {
                continue;
            }

            // The artifact last, so a half-pruned version is still listed (and pruned again next time).
            foreach (var file in files.OrderBy(f => f == ArtifactFile ? 1 : 0))
            {
                await store.DeleteAsync($"{ModelBlobNames.VersionsPrefix}{version}/{file}", cancellationToken).ConfigureAwait(false);
            }

            deleted.Add(version);
        }

        return deleted;
    }

    public async Task<RetrainState?> ReadStateAsync(CancellationToken cancellationToken = default)
    {
        using var download = await store.GetAsync(StateBlob, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return null;
        }

        try
        {
            return RetrainState.FromJson(download.Content);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async Task WriteStateAsync(RetrainState state, CancellationToken cancellationToken = default)
    {
        using var json = new MemoryStream(state.ToJson());
        await store.PutAsync(StateBlob, json, BlobCondition.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A version name is one path segment of letters, digits, '-', '_' and '.' (not "." or "..").</summary>
    public static bool IsValidVersionName(string version) =>
        version.Length is > 0 and <= 128
        && version != "." && version != ".."
        && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private async Task<Dictionary<string, HashSet<string>>> ListVersionFilesAsync(CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await foreach (var name in store.ListAsync(ModelBlobNames.VersionsPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = name[ModelBlobNames.VersionsPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                continue; // current.json, state.json
            }

            var version = rest[..slash];
            if (!versions.TryGetValue(version, out var files))
            {
                versions[version] = files = new HashSet<string>(StringComparer.Ordinal);
            }

            files.Add(rest[(slash + 1)..]);
        }

        return versions;
    }
}
