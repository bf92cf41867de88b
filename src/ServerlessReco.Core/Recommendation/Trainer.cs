using System.Diagnostics;
using System.Text.Json;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Recommendation;

/// <summary>Which model to train and how.</summary>
public sealed record TrainerOptions
{
    /// <summary>The data settings; by default the history weighs by place (<see cref="TrainingOptions.ValidatedHistoryHalfLife"/>).</summary>
    public TrainingOptions Data { get; init; } = new() { HistoryHalfLife = TrainingOptions.ValidatedHistoryHalfLife };

    /// <summary>EASE, SAR, the sequence model, or auto (<see cref="ModelKinds.AutoCandidates"/>).</summary>
    public ModelKind Model { get; init; } = ModelKind.Auto;

    public EaseOptions Ease { get; init; } = new();

    /// <summary>The sequence model: EASE plus transitions, over the recency-weighted history.</summary>
    public SequenceOptions Sequence { get; init; } = new();

    /// <summary>SAR for large catalogues: bounded neighbours keep memory linear in items.</summary>
    public SarOptions Sar { get; init; } = new() { MaxNeighbors = 200 };
}

/// <summary>
/// Trains a servable <see cref="ModelArtifact"/> from behaviour events, whichever store they come from.
/// </summary>
public static class Trainer
{
    public static async Task<ModelArtifact> TrainAsync(
        IAsyncEnumerable<BehaviorEvent> events,
        TrainerOptions options,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var data = await InteractionMatrixBuilder.BuildAsync(events, options.Data, progress, cancellationToken);
        progress?.Report($"matrix: {data.UserCount:N0} users, {data.ItemCount:N0} items, {data.NonZeros:N0} interactions");
        return Train(data, options, progress, clock, cancellationToken);
    }

    public static ModelArtifact Train(InteractionMatrix data, TrainerOptions options, IProgress<string>? progress = null, Stopwatch? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= Stopwatch.StartNew();
        var kind = options.Model == ModelKind.Auto ? ModelKinds.AutoCandidates(data.ItemCount, options)[0] : options.Model;
        IItemScorer model;
        object modelOptions;
        switch (kind)
        {
            case ModelKind.Ease:
                model = EaseModel.Train(data, options.Ease, progress, cancellationToken);
                modelOptions = options.Ease;
                break;
            case ModelKind.Sar:
                model = SarModel.Train(data, options.Sar, progress, cancellationToken);
                modelOptions = options.Sar;
                break;
            case ModelKind.Sequence:
                model = SequenceModel.Train(data, options.Sequence, progress, cancellationToken);
                modelOptions = options.Sequence;
                break;
            default:
                throw new ArgumentException($"Unknown model '{options.Model}'.", nameof(options));
        }

        progress?.Report($"{kind.Name()}: trained in {clock.Elapsed.TotalSeconds:F2}s");
        var trainedAt = DateTimeOffset.UtcNow;
        var manifest = new ModelManifest
        {
            ModelKind = kind.Name(),
            Version = $"{trainedAt:yyyyMMdd-HHmmss}-{kind.Name()}",
            TrainedAt = trainedAt,
            Trainer = $"{ModelArtifact.TrainerName} {ModelArtifact.TrainerVersion}",
            TrainingSeconds = clock.Elapsed.TotalSeconds,
            Users = data.UserCount,
            Items = data.ItemCount,
            Training = options.Data,
            Data = data.Summary,
            ModelOptions = JsonSerializer.SerializeToElement(modelOptions, ModelArtifact.Json),
        };
        return new ModelArtifact(manifest, model, (int[])data.ItemUserCounts.Clone());
    }
}
