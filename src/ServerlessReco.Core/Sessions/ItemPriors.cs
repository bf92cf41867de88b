using ServerlessReco.Core.Hashing;

namespace ServerlessReco.Core.Sessions;

/// <summary>Per model item: its popularity (0..1 of the most popular), its category (−1: none) and its share of that category's popularity (0..1).</summary>
public sealed class ItemPriors
{
    /// <summary>
    /// How far apart equally popular items of a category are set (relative to their share): far below any real
    /// difference of shares, so it orders exact ties only.
    /// </summary>
    public const double TieSpread = 1e-9;

    /// <param name="popularity">Per model item, how many shoppers had an event on it.</param>
    /// <param name="category">Per model item, its category (−1: none).</param>
    /// <param name="ids">The model's item ids: equally popular items of a category are then ordered by their id's hash, not by the model's item order.</param>
    public ItemPriors(int[] popularity, int[] category, IReadOnlyList<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentNullException.ThrowIfNull(category);
        Category = category;
        var max = Math.Max(1, popularity.Length == 0 ? 1 : popularity.Max());
        Popularity = [.. popularity.Select(p => (double)p / max)];
        var total = new Dictionary<int, long>();
        for (var i = 0; i < popularity.Length; i++)
        {
            if (category[i] >= 0)
            {
                total[category[i]] = total.GetValueOrDefault(category[i]) + popularity[i];
            }
        }

        // The chance that a look into the category lands on the item: times the shopper's share of the category it is the
        // chance of the item itself. Scaled to the category's best instead, every category's head weighed the same however
        // little of the category's looks it draws, and a shopper's second category crowded out the first one's next items.
        // Most of a long tail's items share a count (one shopper, two), and a tie went to the lower model index, the item
        // seen first in the window: the one that had the whole window to draw a second look and did not. Ordered so, the
        // category family fell 0.0002 to 0.0003 of nDCG@20 below category popularity on each seed of issue 21's stand-in,
        // ordered newest-first or by id level with it (docs/benchmarks.md); the id's hash is an order that knows nothing
        // of the items and does not depend on the order the store reads events in.
        InCategory = new double[popularity.Length];
        for (var i = 0; i < popularity.Length; i++)
        {
            var share = category[i] >= 0 && total[category[i]] > 0 ? (double)popularity[i] / total[category[i]] : 0;
            InCategory[i] = ids is null ? share : share * (1 + (TieSpread * Neutral(ids[i])));
        }
    }

    public double[] Popularity { get; }
    public int[] Category { get; }
    public double[] InCategory { get; }

    /// <summary>A number in [0, 1) from the id alone, the same in every process.</summary>
    internal static double Neutral(string id) => StableHash.Of(id) / 4294967296.0;
}
