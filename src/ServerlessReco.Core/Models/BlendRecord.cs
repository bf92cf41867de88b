using System.Globalization;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Models;

/// <summary>
/// <c>metrics.json</c>'s <c>blend</c>: how the version weighs the candidate families of a personal list (model, session
/// k-NN, category, repeat interest, popularity, transitions), how steeply repeat interest fades, and the hold-out figures that chose the weights, beside the model
/// alone's, or why it serves by the model's own scores. The same choice is saved in the artifact (<c>blend.json</c>);
/// here it sits beside the gate and content decisions, so an operator reads all three in one place.
/// </summary>
/// <param name="Chosen">Whether weights were chosen on the hold-out; false: the model's own scores serve.</param>
/// <param name="Weights">The weights the version serves with (the model alone when none were chosen).</param>
/// <param name="Reason">Why, in words, with the figures (the weights themselves are in <paramref name="Weights"/>).</param>
public sealed record BlendRecord(bool Chosen, BlendWeights Weights, string Reason)
{
    /// <summary>The cut-off of the hold-out figures (HitRate and MRR at K).</summary>
    public int? K { get; init; }

    /// <summary>Held-out clicks the weights were chosen on (every click of the newest visits after the visit's first).</summary>
    public int? Points { get; init; }

    /// <summary>How many held-out visits those clicks came from.</summary>
    public int? Visits { get; init; }

    /// <summary>The repeat family's half-life in events back, chosen with the weights.</summary>
    public double? RepeatHalfLife { get; init; }

    /// <summary>What was chosen among (the model alone, and the best weights per repeat half-life), each with its hold-out figures.</summary>
    public IReadOnlyList<BlendCandidate>? Candidates { get; init; }

    public double? HitRate { get; init; }
    public double? Mrr { get; init; }

    /// <summary>The model alone's figures on the same held-out clicks: what the weights had to beat.</summary>
    public double? ModelHitRate { get; init; }
    public double? ModelMrr { get; init; }

    /// <summary>The weights for a shopper back after their visit ended and what they were chosen among on held-out returns; null: the same weights serve every list.</summary>
    public ReturningBlend? Returning { get; init; }

    /// <summary>The returning shoppers' choice in words, with each candidate's nDCG@20 and lead over the visit's blend.</summary>
    public static string ReturningReason(ReturningBlend? returning)
    {
        if (returning is null)
        {
            return $"too few returns in the window (fewer than {ReturningSelection.MinReturns}): the visit's weights serve them";
        }

        var chosen = returning.Candidates.FirstOrDefault(c => c.Chosen);
        var figures = string.Join("; ", returning.Candidates.Select(c => string.Create(
            CultureInfo.InvariantCulture, $"{c.Name} nDCG@{BlendChoice.K} {c.Ndcg:F4} (lead {c.Lead:+0.0000;-0.0000} ± {c.LeadStandardError:F4} s.e.)")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{chosen?.Name} ({returning.Weights}), on {returning.Points} held-out returns, the visit's blend unless another leads it by more than one standard error: {figures}");
    }

    /// <summary>The record of a retrain's session step: its choice, or why none (null signals: the step failed).</summary>
    public static BlendRecord Of(SessionSignals? signals)
    {
        if (signals is null)
        {
            return new BlendRecord(false, BlendWeights.ModelOnly, "the session step failed (see the retrain's log): the model's own scores serve");
        }

        if (signals.Blend is not { } b)
        {
            return new BlendRecord(false, BlendWeights.ModelOnly, "too few shoppers with two events to choose a blend on: the model's own scores serve");
        }

        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"chosen on {b.Points} held-out clicks of {b.Visits} visits: HR@{BlendChoice.K} {b.HitRate:F4}, MRR@{BlendChoice.K} {b.Mrr:F4} (the model alone {b.ModelHitRate:F4}, {b.ModelMrr:F4}); repeat half-life {b.RepeatHalfLife:0.##} events, the best HitRate or within one standard error of it with the higher MRR");
        return new BlendRecord(true, b.Weights, reason + "; for shoppers back after their visit ended: " + ReturningReason(b.Returning))
        {
            Returning = b.Returning,
            K = BlendChoice.K,
            Points = b.Points,
            Visits = b.Visits,
            RepeatHalfLife = b.RepeatHalfLife,
            Candidates = b.Candidates,
            HitRate = b.HitRate,
            Mrr = b.Mrr,
            ModelHitRate = b.ModelHitRate,
            ModelMrr = b.ModelMrr,
        };
    }
}
