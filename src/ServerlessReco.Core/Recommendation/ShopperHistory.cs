using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// A shopper's events folded into one affinity per item, the one rule the collaborative model (<see cref="Recommender"/>)
/// and the content profile (serving's content scores, the cold-item benchmark) share: each event counts with its type's
/// weight (<see cref="EventWeights"/>), decayed by time (<see cref="TrainingOptions.HalfLife"/>), once per event id; then
/// each item is weighed by its place in the history, newest first (<see cref="HistoryOrder"/>,
/// <see cref="TrainingOptions.HistoryHalfLife"/>). Items are the indexes of the lookup given (the model's items, or the
/// items with a content vector), ascending; <see cref="Excluded"/> holds the items to leave out of a list (taken up or
/// dismissed).
/// </summary>
public sealed record ShopperHistory(int[] Items, double[] Affinities, HashSet<int> Excluded)
{
    /// <summary>
    /// Folds <paramref name="events"/> (oldest first: the order breaks ties at the same second) over the items
    /// <paramref name="items"/> knows, with <paramref name="training"/>'s weights, decay and history half-life as of <paramref name="now"/>.
    /// </summary>
    public static ShopperHistory Fold(IEnumerable<BehaviorEvent> events, IdIndex items, TrainingOptions training, DateTimeOffset now)
    {
        var affinity = new Dictionary<int, (double Sum, long Latest, long Arrival)>();
        var excluded = new HashSet<int>();
        var nowSeconds = now.ToUnixTimeSeconds();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        long arrival = 0;
        foreach (var e in events)
        {
            arrival++;
            if (!items.TryGetIndex(e.ItemId, out var item) || !seenIds.Add(e.EventId))
            {
                continue;
            }

            if (e.Type == EventType.Dismiss)
            {
                excluded.Add(item);
            }

            var weight = training.Weights.WeightOf(e.Type, e.Value);
            if (weight <= 0 || !double.IsFinite(weight))
            {
                continue;
            }

            excluded.Add(item);
            var t = Math.Min(e.Timestamp.ToUnixTimeSeconds(), nowSeconds);
            var (sum, latest, latestArrival) = affinity.GetValueOrDefault(item, (0, long.MinValue, 0));
            var newer = t >= latest;
            affinity[item] = (sum + (weight * training.Decay(t, nowSeconds)), newer ? t : latest, newer ? arrival : latestArrival);
        }

        var known = affinity.Keys.Order().ToArray();
        var affinities = new double[known.Length];
        var latestTimes = new long[known.Length];
        var arrivals = new long[known.Length];
        for (var i = 0; i < known.Length; i++)
        {
            (affinities[i], latestTimes[i], arrivals[i]) = affinity[known[i]];
        }

        var ranks = new int[known.Length];
        HistoryOrder.Rank(latestTimes, arrivals, ranks);
        HistoryOrder.Weigh(training, ranks, affinities);
        return new ShopperHistory(known, affinities, excluded);
    }

    /// <summary>The items with their affinities, in item order.</summary>
    public IEnumerable<(int Item, double Weight)> Weighted() => Items.Select((item, i) => (item, Affinities[i]));
}
