using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Content;

/// <summary>
/// A shopper's taste in content: the weighted mean of the vectors of the items in their history, at unit length; its dot
/// product with an item's vector is the item's content score (a cosine, −1..1). The weights are the shopper's affinities
/// as the collaborative model folds them (<see cref="ShopperHistory"/>: event weights, time decay, newest items first).
/// Serving and the cold-item benchmark both build it here, so the figures measure what serves.
/// </summary>
public static class ContentProfile
{
    /// <summary>
    /// The fold settings of the profile, from the model's training settings: the same event weights, without time decay or
    /// weighing by place. Chosen on a validation split inside the training movies of the cold-item benchmark (see
    /// docs/content-model.md): a content profile answers "what is this shopper into", and recency, which helps predict the
    /// next item, made it worse there (served fold nDCG@10 0.3090; with the model's 30-day decay and place half-life 10: 0.2350).
    /// </summary>
    public static TrainingOptions Folding(TrainingOptions model) => model with { HalfLife = null, HistoryHalfLife = null };

    /// <summary>
    /// The profile of a shopper's <paramref name="events"/> (oldest first), folded over the items with a vector by
    /// <paramref name="training"/>'s rule as of <paramref name="now"/>; null when none of their items has a vector.
    /// </summary>
    public static float[]? Of(ContentEmbeddings content, IEnumerable<BehaviorEvent> events, TrainingOptions training, DateTimeOffset now) =>
        Of(content, ShopperHistory.Fold(events, content.Items, training, now).Weighted());

    /// <summary>The profile of <paramref name="history"/> (content item index, weight > 0), or null when no item of it has a vector.</summary>
    public static float[]? Of(ContentEmbeddings content, IEnumerable<(int Item, double Weight)> history)
    {
        var profile = new float[content.Dimensions];
        var vector = new float[content.Dimensions];
        var any = false;
        foreach (var (item, weight) in history)
        {
            if (weight <= 0 || !double.IsFinite(weight))
            {
                continue;
            }

            content.Decode(item, vector);
            for (var i = 0; i < vector.Length; i++)
            {
                profile[i] += (float)weight * vector[i];
            }

            any = true;
        }

        var norm = MathF.Sqrt(PrincipalDirections.Dot(profile, profile));
        if (!any || norm == 0)
        {
            return null;
        }

        for (var i = 0; i < profile.Length; i++)
        {
            profile[i] /= norm;
        }

        return profile;
    }
}
