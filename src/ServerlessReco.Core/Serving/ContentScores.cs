using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// What serving reads of the content vectors, joined once per serving state: the items the collaborative model cannot
/// answer for (available, with a vector, and unknown to the model or known from fewer than
/// <see cref="MaxKnownUsers"/> shoppers), scanned straight from their 8-bit codes, and the direction of the best sellers for
/// each item's content prior. Immutable.
/// </summary>
internal sealed class ContentScores
{
    /// <summary>A model item with fewer training shoppers than this is scored by content too ("few interactions").</summary>
    public const int MaxKnownUsers = 3;

    /// <summary>How many of the best sellers make the direction the content prior measures against.</summary>
    private const int BestSellers = 100;

    private readonly float[]? _bestSellers;

    public ContentScores(ContentEmbeddings vectors, ServingModel model, CatalogSnapshot catalog)
    {
        Vectors = vectors;
        Training = ContentProfile.Folding(model.Recommender.Artifact.Training);
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
        var sellers = Enumerable.Range(0, popularity.Length).OrderByDescending(i => popularity[i]).Take(BestSellers)
            .Select(i => (Index: vectors.Items.TryGetIndex(known[i], out var v) ? v : -1, Weight: (double)popularity[i]))
            .Where(p => p.Index >= 0);
        _bestSellers = ContentProfile.Of(vectors, sellers);
    }

    public ContentEmbeddings Vectors { get; }

    /// <summary>How the shopper's events are folded into the profile: the model's event weights (<see cref="ContentProfile.Folding"/>).</summary>
    public TrainingOptions Training { get; }

    /// <summary>Content indexes of the items only content can score.</summary>
    public int[] Cold { get; }

    /// <summary>
    /// The shopper's items with a vector, folded by the rule the collaborative model folds them by (<see cref="ShopperHistory"/>
    /// with <see cref="Training"/>); the profile is built from it.
    /// </summary>
    public ShopperHistory HistoryOf(IReadOnlyList<BehaviorEvent> events, DateTimeOffset now) =>
        ShopperHistory.Fold(events, Vectors.Items, Training, now);

    /// <summary>The content profile of <paramref name="history"/>, or null when nothing is cold or none of its items has a vector.</summary>
    public float[]? ProfileOf(ShopperHistory history) =>
        Cold.Length == 0 || history.Items.Length == 0 ? null : ContentProfile.Of(Vectors, history.Weighted());

    /// <summary>The cosine of the <paramref name="cold"/>-th cold item to <paramref name="profile"/>.</summary>
    public float ColdScore(int cold, ReadOnlySpan<float> profile) => Vectors.Dot(Cold[cold], profile);

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
