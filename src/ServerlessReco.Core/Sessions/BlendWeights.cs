using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// How much each candidate family counts in a personal list: the model's scores, session k-NN's votes, the shopper's
/// categories (the best of each, by recency-weighted share), repeat interest in what the shopper already did something
/// with, and plain popularity. Each family is scaled to at most 1 before it is weighed, so the weights compare.
/// </summary>
public sealed record BlendWeights(double Model, double Neighbors, double Category, double Repeat, double Popularity)
{
    /// <summary>The model alone: what a model saved without learned weights serves (the behaviour before families).</summary>
    public static BlendWeights ModelOnly { get; } = new(1, 0, 0, 0, 0);

    [JsonIgnore]
    public bool IsModelOnly => Neighbors == 0 && Category == 0 && Repeat == 0 && Popularity == 0;

    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"model {Model:0.##}, session k-NN {Neighbors:0.##}, category {Category:0.##}, repeat {Repeat:0.##}, popularity {Popularity:0.##}");
}

/// <summary>
/// The weights chosen at retrain on a hold-out of the training window (the newest event of the most recent shoppers),
/// with session k-NN's settings, their figures there (HitRate and MRR at <see cref="K"/>) and the model alone's: saved with the model (attachment <see cref="AttachmentName"/>), so
/// serving uses what this shop's own data chose.
/// </summary>
public sealed record BlendChoice(BlendWeights Weights, SessionNeighborOptions Neighbors, int Points, double HitRate, double Mrr, double ModelHitRate, double ModelMrr)
{
    public const string AttachmentName = "blend.json";

    /// <summary>The cut-off of the hold-out figures.</summary>
    public const int K = 20;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ModelArtifact.Json);

    public static BlendChoice? From(ModelArtifact artifact) =>
        artifact.Attachments.TryGetValue(AttachmentName, out var payload) ? JsonSerializer.Deserialize<BlendChoice>(payload, ModelArtifact.Json) : null;
}
