using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for the items co-occurrence cannot answer for (<see cref="ContentScores.Cold"/>): each scored by the
/// cosine of its content vector to the shopper's content profile, the best taken with the history item it is most like
/// as the reason ("similar to X you viewed"). Also the similar items of an item the model does not know.
/// </summary>
internal static class ContentCandidateSource
{
    /// <summary>The best <paramref name="count"/> cold items for the list with a positive score; each is added to <see cref="ListContext.Taken"/>.</summary>
    public static List<ServingCandidate> Take(ListContext list, int count)
    {
        var result = new List<ServingCandidate>();
        var state = list.State;
        if (count <= 0 || state.Content is not { } content)
        {
            return result;
        }

        var history = content.HistoryOf(list.Events, list.Now);
        if (content.ProfileOf(history) is not { } profile)
        {
            return result;
        }

        var best = new List<(int Cold, float Score)>();
        for (var c = 0; c < content.Cold.Length; c++)
        {
            var id = content.Vectors.Items[content.Cold[c]];
            if ((list.Category < 0 || state.CategoryOf(id) == list.Category) && !list.Taken.Contains(id))
            {
                best.Add((c, content.ColdScore(c, profile)));
            }
        }

        foreach (var (c, score) in best.Where(p => p.Score > 0).OrderByDescending(p => p.Score).ThenBy(p => p.Cold).Take(count))
        {
            var id = content.Vectors.Items[content.Cold[c]];
            list.Taken.Add(id);
            var basedOn = MostAlike(content, c, history);
            var reason = basedOn is null ? "matches what you like" : $"similar to {state.TitleOf(basedOn)} you {Verb(list.Strongest.GetValueOrDefault(basedOn, EventType.View))}";
            result.Add(new ServingCandidate(state.ItemFor(id, score, reason, ReasonKind.Content, basedOn), -1));
        }

        return result;
    }

    /// <summary>
    /// Items whose content is most like <paramref name="itemId"/>'s (available, not taken, positive cosine), best first;
    /// each is added to <paramref name="taken"/>. Empty when the item has no vector.
    /// </summary>
    public static List<RecommendedItem> Similar(ServingState state, string itemId, int count, HashSet<string> taken)
    {
        var result = new List<RecommendedItem>();
        if (state.Content is not { } content || !content.Vectors.Items.TryGetIndex(itemId, out var item))
        {
            return result;
        }

        var vectors = content.Vectors;
        var query = new float[vectors.Dimensions];
        vectors.Decode(item, query);
        var title = state.TitleOf(itemId);
        var scored = Enumerable.Range(0, vectors.Items.Count)
            .Where(i => i != item && !taken.Contains(vectors.Items[i]) && !state.Catalog.IsUnavailable(vectors.Items[i]))
            .Select(i => (Item: i, Score: vectors.Dot(i, query)))
            .Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score).ThenBy(p => p.Item).Take(count);
        foreach (var (i, score) in scored)
        {
            taken.Add(vectors.Items[i]);
            result.Add(state.ItemFor(vectors.Items[i], score, $"similar to {title}", ReasonKind.Content, itemId));
        }

        return result;
    }

    /// <summary>The history item whose vector is closest to the <paramref name="cold"/>-th cold item's, for the reason (the first on a tie).</summary>
    private static string? MostAlike(ContentScores content, int cold, ShopperHistory history)
    {
        var vector = content.ColdVector(cold);
        var (best, bestScore) = (-1, float.NegativeInfinity);
        foreach (var item in history.Items)
        {
            var score = content.Vectors.Dot(item, vector);
            if (score > bestScore)
            {
                (best, bestScore) = (item, score);
            }
        }

        return best < 0 ? null : content.Vectors.Items[best];
    }

    private static string Verb(EventType type) => type switch
    {
        EventType.Purchase => "bought",
        EventType.AddToCart => "added to your cart",
        EventType.Rating => "rated",
        _ => "viewed",
    };
}
