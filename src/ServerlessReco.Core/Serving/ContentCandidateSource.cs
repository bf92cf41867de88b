using ServerlessReco.Core.Content;
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
        if (count <= 0 || state.Content is not { Cold.Length: > 0 } content)
        {
            return result;
        }

        var history = content.HistoryOf(list.Events, list.Now);
        if (content.ProfileOf(history) is not { } profile)
        {
            return result;
        }

        var vector = new float[content.Vectors.Dimensions];
        foreach (var (c, score) in Best(list, content, profile, count))
        {
            var id = content.Vectors.Items[content.Cold[c]];
            list.Taken.Add(id);
            content.Vectors.Decode(content.Cold[c], vector);
            var basedOn = MostAlike(content.Vectors, vector, history);
            var reason = basedOn is null ? "matches what you like" : $"similar to {state.TitleOf(basedOn)} you {ReasonVerbs.Past(list.Strongest.GetValueOrDefault(basedOn, EventType.View))}";
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

    /// <summary>
    /// The best <paramref name="count"/> cold items with a positive score that the list may take, best first (ties: the
    /// lower index). One pass of dot products over the decoded vectors; the list's filters (category, taken), which hash
    /// the id, are read only for an item that would enter the best so far, so a large cold set costs little more than its dots.
    /// </summary>
    private static ReadOnlySpan<(int Cold, float Score)> Best(ListContext list, ContentScores content, float[] profile, int count)
    {
        var best = new (int Cold, float Score)[count];
        var size = 0;
        for (var c = 0; c < content.Cold.Length; c++)
        {
            var score = content.ColdScore(c, profile);
            if (score <= 0 || (size == count && score <= best[size - 1].Score))
            {
                continue;
            }

            var id = content.Vectors.Items[content.Cold[c]];
            if ((list.Category >= 0 && list.State.CategoryOf(id) != list.Category) || list.Taken.Contains(id))
            {
                continue;
            }

            // Insertion into the short sorted array: count is a list's room at most.
            var at = size < count ? size++ : count - 1;
            while (at > 0 && best[at - 1].Score < score)
            {
                best[at] = best[at - 1];
                at--;
            }

            best[at] = (c, score);
        }

        return best.AsSpan(0, size);
    }

    /// <summary>The history item whose vector is closest to the candidate's <paramref name="vector"/>, for the reason (the first on a tie).</summary>
    private static string? MostAlike(ContentEmbeddings vectors, float[] vector, ShopperHistory history)
    {
        var (best, bestScore) = (-1, float.NegativeInfinity);
        foreach (var item in history.Items)
        {
            var score = vectors.Dot(item, vector);
            if (score > bestScore)
            {
                (best, bestScore) = (item, score);
            }
        }

        return best < 0 ? null : vectors.Items[best];
    }
}
