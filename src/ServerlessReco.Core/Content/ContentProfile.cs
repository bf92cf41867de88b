namespace ServerlessReco.Core.Content;

/// <summary>
/// A shopper's taste in content: the weighted mean of the vectors of the items in their history, at unit length; its dot
/// product with an item's vector is the item's content score (a cosine, −1..1). Serving and the cold-item benchmark both
/// build it here, so the figures measure what serves.
/// </summary>
public static class ContentProfile
{
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
