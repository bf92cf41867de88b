using ServerlessReco.Core.Diversity;

namespace ServerlessReco.Core.Evaluation;

/// <summary>
/// What accuracy does not show: how much of the catalogue gets recommended, how varied each list is, and how
/// far the lists lean towards what is already popular.
/// </summary>
public static class BeyondAccuracyMetrics
{
    /// <summary>Distinct recommended items divided by the catalogue size.</summary>
    public static double CatalogCoverage<TItem>(IEnumerable<IReadOnlyList<TItem>> lists, int catalogSize)
    {
        if (catalogSize <= 0)
        {
            return 0;
        }

        var distinct = new HashSet<TItem>();
        foreach (var list in lists)
        {
            distinct.UnionWith(list);
        }

        return (double)distinct.Count / catalogSize;
    }

    /// <summary>
    /// Mean over lists of the share of item pairs whose categories differ (items without a category count
    /// as their own category). 0: one category per list; 1: every item from another category.
    /// </summary>
    public static double IntraListDiversity<TItem>(IEnumerable<IReadOnlyList<TItem>> lists, Func<TItem, string?> category) =>
        MeanPairDissimilarity(
            lists.Select(list => (IReadOnlyList<string?>)[.. list.Select(category)]), // each item's category read once, not once a pair
            (a, b) => a is null || b is null || !string.Equals(a, b, StringComparison.Ordinal) ? 1 : 0);

    /// <summary>
    /// Intra-list diversity for items with several categories (MovieLens genres): mean over lists of the mean
    /// 1 − Jaccard overlap of the category sets of each item pair. With one category per item it equals
    /// <see cref="IntraListDiversity{TItem}(IEnumerable{IReadOnlyList{TItem}}, Func{TItem, string?})"/>.
    /// </summary>
    public static double IntraListDiversity(IEnumerable<IReadOnlyList<int>> lists, ItemCategories categories) =>
        MeanPairDissimilarity(lists, (a, b) => 1 - ItemCategories.Jaccard(categories.Of(a), categories.Of(b)));

    /// <summary>Mean over the lists of two items or more of the mean <paramref name="dissimilarity"/> of their item pairs; 0 without such a list.</summary>
    private static double MeanPairDissimilarity<TItem>(IEnumerable<IReadOnlyList<TItem>> lists, Func<TItem, TItem, double> dissimilarity)
    {
        double total = 0;
        var count = 0;
        foreach (var list in lists)
        {
            if (list.Count < 2)
            {
                continue;
            }

            double dissimilar = 0;
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    dissimilar += dissimilarity(list[i], list[j]);
                }
            }

            total += dissimilar / (list.Count * (list.Count - 1) / 2);
            count++;
        }

        return count == 0 ? 0 : total / count;
    }

    /// <summary>The largest share of one list that carries one category (an item counts once for each of its categories).</summary>
    public static double TopCategoryShare(IReadOnlyList<int> list, ItemCategories categories)
    {
        if (list.Count == 0)
        {
            return 0;
        }

        var perCategory = new Dictionary<int, int>();
        var top = 0;
        foreach (var item in list)
        {
            foreach (var category in categories.Of(item))
            {
                perCategory[category] = perCategory.GetValueOrDefault(category) + 1;
                top = Math.Max(top, perCategory[category]);
            }
        }

        return (double)top / list.Count;
    }

    /// <summary>
    /// Mean self-information −log2(p(i)) of recommended items, p(i) = share of training users who interacted
    /// with i (items nobody interacted with count as one user). Higher: less obvious recommendations.
    /// </summary>
    public static double Novelty<TItem>(IEnumerable<IReadOnlyList<TItem>> lists, Func<TItem, int> usersOfItem, int userCount)
    {
        double total = 0;
        long count = 0;
        foreach (var list in lists)
        {
            foreach (var item in list)
            {
                total += -Math.Log2(Math.Max(1, usersOfItem(item)) / (double)userCount);
                count++;
            }
        }

        return count == 0 ? 0 : total / count;
    }

    /// <summary>
    /// Popularity bias: mean training popularity of recommended items (average recommendation popularity)
    /// divided by the mean popularity of the items users interacted with. 1: as popular as what people
    /// consume; above 1: the lists push the head further.
    /// </summary>
    public static double PopularityLift<TItem>(IEnumerable<IReadOnlyList<TItem>> lists, Func<TItem, int> usersOfItem, double meanConsumedPopularity)
    {
        double total = 0;
        long count = 0;
        foreach (var list in lists)
        {
            foreach (var item in list)
            {
                total += usersOfItem(item);
                count++;
            }
        }

        return count == 0 || meanConsumedPopularity <= 0 ? 0 : total / count / meanConsumedPopularity;
    }
}
