using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// How much each candidate family counts in a personal list: the model's scores, session k-NN's votes, the shopper's
/// categories (the best of each, by recency-weighted share), repeat interest in what the shopper already did something
/// with, plain popularity, and what came next after the last click in other sessions (sequential rules). Each family is scaled to at most 1 before it is weighed, so the weights compare.
/// </summary>
public sealed record BlendWeights(double Model, double Neighbors, double Category, double Repeat, double Popularity, double Transitions = 0)
{
    /// <summary>The model alone: what a model saved without learned weights serves (the behaviour before families).</summary>
    public static BlendWeights ModelOnly { get; } = new(1, 0, 0, 0, 0);

    [JsonIgnore]
    public bool IsModelOnly => Neighbors == 0 && Category == 0 && Repeat == 0 && Popularity == 0 && Transitions == 0;

    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"model {Model:0.##}, session k-NN {Neighbors:0.##}, category {Category:0.##}, repeat {Repeat:0.##}, popularity {Popularity:0.##}, transitions {Transitions:0.##}");
}

/// <summary>
/// The weights chosen at retrain on a hold-out of the training window (every click of the newest visits, see
/// <see cref="BlendSelection"/>), with session k-NN's settings, their figures there (HitRate and MRR at <see cref="K"/>
/// over <see cref="Points"/> held-out clicks) and the model alone's: saved with the model (attachment
/// <see cref="AttachmentName"/>), so serving uses what this shop's own data chose.
/// </summary>
public sealed record BlendChoice(BlendWeights Weights, SessionNeighborOptions Neighbors, int Points, double HitRate, double Mrr, double ModelHitRate, double ModelMrr)
{
    public const string AttachmentName = "blend.json";

    /// <summary>The repeat family's half-life in events back, chosen with the weights (a choice saved before it had one: the old fixed value).</summary>
    public double RepeatHalfLife { get; init; } = CandidateFamilies.RecencyHalfLife;

    /// <summary>How many held-out visits the <see cref="Points"/> (their clicks after the first) came from.</summary>
    public int? Visits { get; init; }

    /// <summary>What the choice was made among: the model alone, and per repeat half-life tried the best weights found, each with its hold-out figures.</summary>
    public IReadOnlyList<BlendCandidate> Candidates { get; init; } = [];

    /// <summary>The cut-off of the hold-out figures.</summary>
    public const int K = 20;

    /// <summary>
    /// The weights for a shopper back after their visit ended, chosen on held-out returns of the window
    /// (<see cref="ReturningSelection"/>); null: too few returns (or a choice saved before there were any), and
    /// <see cref="Weights"/> serve every list.
    /// </summary>
    public ReturningBlend? Returning { get; init; }

    /// <summary>
    /// The weights of a list asked for at <paramref name="now"/> for a shopper with <paramref name="events"/> (oldest
    /// first): <see cref="Returning"/>'s once their visit has ended (<see cref="CandidateFamilies.VisitEnded"/>), else
    /// <see cref="Weights"/>.
    /// </summary>
    public BlendWeights WeightsFor(IReadOnlyList<Events.BehaviorEvent> events, string? sessionId, DateTimeOffset? now) =>
        Returning is { } back && CandidateFamilies.VisitEnded(events, sessionId, now) ? back.Weights : Weights;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ModelArtifact.Json);

    public static BlendChoice? From(ModelArtifact artifact) =>
        artifact.Attachments.TryGetValue(AttachmentName, out var payload) ? JsonSerializer.Deserialize<BlendChoice>(payload, ModelArtifact.Json) : null;
}

/// <summary>One candidate of a blend choice: a repeat half-life, the weights the ascent found with it, their hold-out figures, and whether it was chosen.</summary>
public sealed record BlendCandidate(double RepeatHalfLife, BlendWeights Weights, double HitRate, double Mrr)
{
    public bool Chosen { get; init; }
}

/// <summary>The weights for returning shoppers, how many held-out returns chose them, and what they were chosen among.</summary>
public sealed record ReturningBlend(BlendWeights Weights, int Points)
{
    /// <summary>The visit's blend without repeat interest first, then the obvious lists, each with its figures on the returns.</summary>
    public IReadOnlyList<ReturningCandidate> Candidates { get; init; } = [];
}

/// <summary>
/// One candidate for returning shoppers: its name, weights, mean nDCG@20 on the held-out returns, and its paired lead
/// over the visit's blend there with the lead's standard error.
/// </summary>
public sealed record ReturningCandidate(string Name, BlendWeights Weights, double Ndcg, double Lead, double LeadStandardError)
{
    public bool Chosen { get; init; }
}
