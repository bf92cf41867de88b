using System.Text.Json;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// What a model file says about itself, readable without loading the weights: format version, model kind,
/// what trained it and with which settings, the data window, and its offline metrics.
/// </summary>
public sealed record ModelManifest
{
    public int FormatVersion { get; init; } = ModelArtifact.CurrentFormatVersion;
    public required string ModelKind { get; init; }
    public required string Version { get; init; }
    public DateTimeOffset TrainedAt { get; init; }
    public string Trainer { get; init; } = ModelArtifact.TrainerName;
    public double TrainingSeconds { get; init; }
    public int Users { get; init; }
    public int Items { get; init; }
    public required TrainingOptions Training { get; init; }
    public TrainingDataSummary? Data { get; init; }
    public JsonElement? ModelOptions { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The length of every array in the file (<see cref="ArtifactIntegrity"/>), checked before loading; null in format 1 files.</summary>
    public IReadOnlyDictionary<string, long>? Shapes { get; init; }
}
