using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Models;

/// <summary>
/// The content of <c>models/current.json</c>: which promoted version serves now. Serving instances poll this
/// one small blob's entity tag (not its content, not the model) to notice a promotion; promotion and rollback
/// replace it with an If-Match write so two concurrent retrains cannot both win.
/// </summary>
public sealed record ModelPointer
{
    /// <summary>The version that serves, e.g. <c>20261127T190000Z-3f2a</c> (ordinal order = age).</summary>
    public required string Version { get; init; }

    /// <summary>Blob name of the model artifact, <c>models/{version}/model.bin</c>.</summary>
    public required string ArtifactBlob { get; init; }

    public required DateTimeOffset PromotedAt { get; init; }

    /// <summary>Why this version serves: "promoted: nDCG@10 0.21 vs champion 0.20", "rollback by admin", ...</summary>
    public string? Reason { get; init; }

    /// <summary>The version it replaced, if any (for the audit trail and a quick rollback).</summary>
    public string? PreviousVersion { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ModelPointer FromJson(Stream json) =>
        JsonSerializer.Deserialize<ModelPointer>(json, Json) ?? throw new InvalidDataException("models/current.json is empty.");
}

/// <summary>Where model versions live in the model blob store.</summary>
public static class ModelBlobNames
{
    public const string Current = "models/current.json";
    public const string VersionsPrefix = "models/";

    public static string Artifact(string version) => $"models/{version}/model.bin";

    public static string Metrics(string version) => $"models/{version}/metrics.json";
}
