namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for trending items (recent activity with time decay, plus the model's popularity, or the stored
/// events' popularity when neither is there: <see cref="StoredPopularity"/>), then the catalogue's newest items: what
/// fills a list when the model has too little, what cold users get, and the trending and similar-items lists' fill. Shaped
/// by the user's categories: score × (1 + boost × share of the item's category), so the categories a session shows come first.
/// </summary>
internal sealed class TrendingCandidateSource(ServingOptions options)
{
    /// <summary>
    /// The best <paramref name="needed"/> trending items not in <paramref name="taken"/> (which gets them), only of
    /// <paramref name="category"/> when it is ≥ 0, lifted by the category <paramref name="shares"/>.
    /// </summary>
    public List<RecommendedItem> Take(ServingState state, int needed, int category, Dictionary<int, double> shares, HashSet<string> taken)
    {
        var result = new List<RecommendedItem>(Math.Max(0, needed));
        if (needed <= 0)
        {
            return result;
        }

        double Shaped(TrendItem t) => t.Score * (1 + (options.CategoryBoost * (t.Category >= 0 ? shares.GetValueOrDefault(t.Category) : 0)));
        foreach (var t in Contenders(state, needed, category, shares, taken).OrderByDescending(Shaped).ThenBy(t => t.ItemId, StringComparer.Ordinal).Take(needed))
        {
            taken.Add(t.ItemId);
            var name = state.CategoryName(t.Category);
            var reason = !t.Recent ? "popular" : name is null ? "trending" : $"trending in {name}";
            result.Add(state.ItemFor(t.ItemId, Shaped(t), reason, t.Recent ? ReasonKind.Trending : ReasonKind.Popular));
        }

        FillFromCatalogue(state, needed - result.Count, category, taken, result);
        return result;
    }

    /// <summary>
    /// When trending and popularity have fewer than asked: the catalogue's newest available items (of the category
    /// filter, not taken), scored 0, "new in the catalogue" (or "in the catalogue" without a creation time): no event
    /// backs them, and the reason says so.
    /// </summary>
    private static void FillFromCatalogue(ServingState state, int needed, int category, HashSet<string> taken, List<RecommendedItem> result)
    {
        foreach (var item in state.CatalogueNewest)
        {
            if (needed <= 0)
            {
                return;
            }

            if ((category >= 0 && item.Category != category) || !taken.Add(item.ItemId))
            {
                continue;
            }

            var dated = item.CreatedAt != DateTimeOffset.MinValue;
            result.Add(state.ItemFor(item.ItemId, 0, dated ? "new in the catalogue" : "in the catalogue", ReasonKind.Catalogue));
            needed--;
        }
    }

    /// <summary>
    /// Enough to find the exact top of the shaped order: the best <paramref name="needed"/> of the overall list (or of
    /// the filtered category), and of each boosted category's list.
    /// </summary>
    private static List<TrendItem> Contenders(ServingState state, int needed, int category, Dictionary<int, double> shares, HashSet<string> taken)
    {
        var candidates = new List<TrendItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Take(TrendItem[] list)
        {
            var found = 0;
            foreach (var t in list)
            {
                if (found == needed)
                {
                    break;
                }

                if (!taken.Contains(t.ItemId))
                {
                    found++;
                    if (seen.Add(t.ItemId))
                    {
                        candidates.Add(t);
                    }
                }
            }
        }

        if (category >= 0)
        {
            Take(state.TrendByCategory[category]);
        }
        else
        {
            Take(state.TrendAll);
            foreach (var c in shares.Keys)
            {
                Take(state.TrendByCategory[c]);
            }
        }

        return candidates;
    }
}
