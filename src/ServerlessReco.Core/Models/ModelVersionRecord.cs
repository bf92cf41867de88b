using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Models;

/// <summary>
/// The content of <c>models/{version}/metrics.json</c>: what one trained version read, how it scored on the
/// temporal hold-out against the champion and popularity, and what the promotion gate said. Written once,
/// before any promotion, so it records the gate's verdict; whether the version serves is what
/// <c>models/current.json</c> says.
/// </summary>
public sealed record ModelVersionRecord
{
    public required string Version { get; init; }
    public required string ModelKind { get; init; }

    /// <summary>The model kinds fitted on the hold-out's training part and their figures: <c>auto</c>'s candidates, the chosen one marked (null in records written before them).</summary>
    public IReadOnlyList<ModelCandidate>? ModelCandidates { get; init; }
    public DateTimeOffset TrainedAt { get; init; }
    public double TrainingSeconds { get; init; }

    /// <summary>Events read from the training window.</summary>
    public long Events { get; init; }
    public int Users { get; init; }
    public int Items { get; init; }
    public DateTimeOffset? WindowFrom { get; init; }
    public DateTimeOffset? WindowTo { get; init; }

    /// <summary>The store as it was when this version was trained (what the next run compares with).</summary>
    public RetrainWatermark? Watermark { get; init; }

    /// <summary>This version's scores on the hold-out.</summary>
    public ModelScores? Scores { get; init; }

    /// <summary>The champion's scores on the same hold-out (null for the first model).</summary>
    public ModelScores? Champion { get; init; }
    public string? ChampionVersion { get; init; }

    /// <summary>Popularity's scores on the same hold-out: the bar for the first model.</summary>
    public ModelScores? Popularity { get; init; }

    /// <summary>Online click-through per policy and slot kind in the training window, and off-policy estimates of other exploration rates.</summary>
    public Exploration.ExplorationReport? Exploration { get; init; }

    /// <summary>The exploration rate this version serves with, chosen on the lists logged since the champion's, and the evidence (null when the rate does not adapt).</summary>
    public Exploration.ExplorationRateChoice? ExplorationRate { get; init; }

    /// <summary>Whether the promotion gate let it through, and why.</summary>
    public bool PassedGate { get; init; }
    public string? GateReason { get; init; }

    /// <summary>The intervals the gate's decision rests on (null in records written before them, and for an empty hold-out).</summary>
    public GateRecord? Gate { get; init; }

    /// <summary>Whether this version carries content vectors and why (null when the content model is off).</summary>
    public ContentDecision? Content { get; init; }

    /// <summary>Whether a click model was trained with this version, whether it serves, and why (null when the click model is off).</summary>
    public ClickModelDecision? ClickModel { get; init; }

    /// <summary>The candidate families' weights the version serves with and the hold-out figures that chose them (null in records written before them).</summary>
    public BlendRecord? Blend { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ModelVersionRecord FromJson(Stream json) =>
        JsonSerializer.Deserialize<ModelVersionRecord>(json, Json) ?? throw new InvalidDataException("metrics.json is empty.");
}

/// <summary>One model kind fitted on the hold-out's training part, its figures there, and whether it became the challenger.</summary>
public sealed record ModelCandidate(string ModelKind, ModelScores Scores, bool Chosen);

/// <summary>Top-k ranking figures of one model on one hold-out.</summary>
public sealed record ModelScores(int K, int Users, double Ndcg, double Precision, double Recall, double Map, double Coverage);

/// <summary>
/// What a retrain trained on: the newest event's timestamp, how many events there were, and the key of the training
/// segments it read (<see cref="Segments"/>). A later run whose segments have the same key has nothing new to learn:
/// the key changes only when behaviour events were appended or rows dropped, never for serving traffic.
/// </summary>
public sealed record RetrainWatermark(DateTimeOffset? NewestEvent, long EventCount)
{
    /// <summary>The training segments' manifest key (id and generation); null in records written before segments.</summary>
    public string? Segments { get; init; }
}

/// <summary>
/// <c>models/state.json</c>: the last completed retrain run, whatever it decided (promoted or kept), so that
/// the next run can skip when nothing changed. Only a hint: losing it costs one retrain, never a wrong model.
/// </summary>
public sealed record RetrainState
{
    public required DateTimeOffset RanAt { get; init; }
    public required RetrainWatermark Watermark { get; init; }
    public string? Version { get; init; }
    public string? Outcome { get; init; }

    /// <summary>Catalogue items whose text the run's embedding budget did not reach: the next run trains again to embed them, even if nothing else changed.</summary>
    public int ContentPending { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ModelVersionRecord.Json);

    public static RetrainState FromJson(Stream json) =>
        JsonSerializer.Deserialize<RetrainState>(json, ModelVersionRecord.Json) ?? throw new InvalidDataException("state.json is empty.");
}

/// <summary>One stored version as listed: its metrics (if written) and whether it serves.</summary>
public sealed record ModelVersionInfo(string Version, bool IsCurrent, bool HasArtifact, ModelVersionRecord? Metrics);

/// <summary>The pointer that serves now and the entity tag to promote against.</summary>
public sealed record CurrentModel(ModelPointer Pointer, string ETag);

/// <summary>A version that the store does not hold (no <c>models/{version}/model.bin</c>).</summary>
public sealed class UnknownModelVersionException(string version)
    : Exception($"There is no model version '{version}'.")
{
    public string Version { get; } = version;
}
