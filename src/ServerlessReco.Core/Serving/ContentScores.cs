using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// What serving reads of the content vectors, joined once per serving state: the items the collaborative model cannot
/// answer for (available, with a vector, and unknown to the model or known from fewer than
/// <see cref="MaxKnownUsers"/> shoppers) as decoded vectors for a fast scan, and the direction of the best sellers for
/// each item's content prior. Immutable.
/// </summary>
internal sealed class ContentScores
{
    /// <summary>A model item with fewer training shoppers than this is scored by content too ("few interactions").</summary>
    public const int MaxKnownUsers = 3;

    /// <summary>How many of the best sellers make the direction the content prior measures against.</summary>
    private const int BestSellers = 100;

    private readonly float[] _coldVectors;
    private readonly float[]? _bestSellers;

    public ContentScores(ContentEmbeddings vectors, ServingModel model, CatalogSnapshot catalog)
    {
        Vectors = vectors;
        var known = model.Recommender.Artifact.Model.Items;
        var popularity = model.Recommender.Artifact.ItemPopularity;
        var cold = new List<int>();
        for (var i = 0; i < vectors.Items.Count; i++)
        {
            var id = vectors.Items[i];
            var available = catalog.ById.TryGetValue(id, out var item) && item.Available;
            if (available && (!known.TryGetIndex(id, out var m) || popularity[m] < MaxKnownUsers))
            {
                cold.Add(i);
            }
        }

        Cold = [.. cold];
        _coldVectors = new float[Cold.Length * vectors.Dimensions];
        for (var c = 0; c < Cold.Length; c++)
        {
            vectors.Decode(Cold[c], _coldVectors.AsSpan(c * vectors.Dimensions, vectors.Dimensions));
        }

        var sellers = Enumerable.Range(0, popularity.Length).OrderByDescending(i => popularity[i]).Take(BestSellers)
            .Select(i => (Index: vectors.Items.TryGetIndex(known[i], out var v) ? v : -1, Weight: (double)popularity[i]))
            .Where(p => p.Index >= 0);
        _bestSellers = ContentProfile.Of(vectors, sellers);
    }

    public ContentEmbeddings Vectors { get; }

    /// <summary>Content indexes of the items only content can score.</summary>
    public int[] Cold { get; }

    /// <summary>
    /// The shopper's content profile from their recent events (each counted with its training weight), or null when
    /// none of their items has a vector or nothing is cold.
    /// </summary>
    public float[]? ProfileOf(IReadOnlyList<BehaviorEvent> events, EventWeights weights) =>
        Cold.Length == 0 ? null : ContentProfile.Of(Vectors, History(events, weights));

    /// <summary>The history's items with a vector and a positive weight.</summary>
    public IEnumerable<(int Item, double Weight)> History(IReadOnlyList<BehaviorEvent> events, EventWeights weights)
    {
        foreach (var e in events)
        {
            if (Vectors.Items.TryGetIndex(e.ItemId, out var item))
            {
                yield return (item, weights.WeightOf(e.Type, e.Value));
            }
        }
    }

    /// <summary>The cosine of the <paramref name="cold"/>-th cold item to <paramref name="profile"/>.</summary>
    public float ColdScore(int cold, ReadOnlySpan<float> profile) =>
        PrincipalDirections.Dot(_coldVectors.AsSpan(cold * Vectors.Dimensions, Vectors.Dimensions), profile);

    /// <summary>
    /// The item's content prior: the cosine of its vector to the direction of the best sellers (popularity-weighted), −1..1;
    /// null when the item has no vector or the model has no best sellers with one. For exploration of unknown items.
    /// </summary>
    public double? Prior(string itemId)
    {
        if (_bestSellers is null || !Vectors.Items.TryGetIndex(itemId, out var item))
        {
            return null;
        }

        return Vectors.Dot(item, _bestSellers);
    }
}
