using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>
/// The simple things a shop could do itself, from the same training events the product gets (any event type counts once
/// per shopper and item): plain popularity; category popularity, the most popular items of the shopper's own
/// categories weighted by recency; and item-to-item co-occurrence. Each leaves out what the shopper already touched and
/// fills from popularity, so every list is full.
/// </summary>
public sealed class CategoryShopBaselines
{
    /// <summary>An event this many places back from the shopper's newest counts half as much for their categories and items.</summary>
    public const double RecencyHalfLife = 3;

    private readonly Dictionary<string, string> _categoryOf;
    private readonly Dictionary<string, int> _popularity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _historyOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _shoppersOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byCategory;
    private readonly Dictionary<string, int> _categoryTotal;
    private readonly List<string> _popular;

    public CategoryShopBaselines(IReadOnlyList<ShopItem> items, IReadOnlyList<BehaviorEvent> events)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(events);
        _categoryOf = items.ToDictionary(i => i.Id, i => i.Category, StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.Type != EventType.Impression && e.Type != EventType.Dismiss).OrderBy(e => e.Timestamp))
        {
            if (!_historyOf.TryGetValue(e.UserId, out var history))
            {
                _historyOf[e.UserId] = history = [];
            }

            history.Add(e.ItemId);
            if (!_shoppersOf.TryGetValue(e.ItemId, out var shoppers))
            {
                _shoppersOf[e.ItemId] = shoppers = new HashSet<string>(StringComparer.Ordinal);
            }

            if (shoppers.Add(e.UserId))
            {
                _popularity[e.ItemId] = _popularity.GetValueOrDefault(e.ItemId) + 1;
            }
        }

        _popular = [.. _popularity.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key)];
        _byCategory = _popular.Where(_categoryOf.ContainsKey).GroupBy(i => _categoryOf[i], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _categoryTotal = _byCategory.ToDictionary(c => c.Key, c => c.Value.Sum(i => _popularity[i]), StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> Names { get; } = ["popularity", "category popularity", "item-to-item co-occurrence"];

    /// <summary>The list of baseline <paramref name="name"/> (one of <see cref="Names"/>) for <paramref name="shopper"/>.</summary>
    public IReadOnlyList<string> Recommend(string name, string shopper, int count) => name switch
    {
        "popularity" => Popularity(shopper, count),
        "category popularity" => CategoryPopularity(shopper, count),
        "item-to-item co-occurrence" => CoOccurrence(shopper, count),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a baseline"),
    };

    public IReadOnlyList<string> Popularity(string shopper, int count) => Fill([], Seen(shopper), count);

    /// <summary>
    /// Each of the shopper's categories weighs the recency weight of their events in it (0.5^(k / 3), k events back from the
    /// newest); an item scores its category's weight × its share of its category's popularity.
    /// </summary>
    public IReadOnlyList<string> CategoryPopularity(string shopper, int count)
    {
        var seen = Seen(shopper);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (item, w) in Recent(shopper))
        {
            if (_categoryOf.TryGetValue(item, out var c))
            {
                weights[c] = weights.GetValueOrDefault(c) + w;
            }
        }

        var scored = weights.Where(c => _byCategory.ContainsKey(c.Key))
            .SelectMany(c => _byCategory[c.Key].Where(i => !seen.Contains(i)).Take(count).Select(i => (Item: i, Score: c.Value * _popularity[i] / _categoryTotal[c.Key])))
            .OrderByDescending(p => p.Score).ThenByDescending(p => _popularity[p.Item]).ThenBy(p => p.Item, StringComparer.Ordinal)
            .Take(count).Select(p => p.Item).ToList();
        return Fill(scored, seen, count);
    }

    /// <summary>An item scores, over the shopper's items by recency weight, how many other shoppers touched both.</summary>
    public IReadOnlyList<string> CoOccurrence(string shopper, int count)
    {
        var seen = Seen(shopper);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (item, w) in Recent(shopper))
        {
            foreach (var other in _shoppersOf.GetValueOrDefault(item) ?? [])
            {
                if (other == shopper)
                {
                    continue;
                }

                foreach (var j in _historyOf[other].Distinct(StringComparer.Ordinal))
                {
                    if (!seen.Contains(j))
                    {
                        scores[j] = scores.GetValueOrDefault(j) + w;
                    }
                }
            }
        }

        var ranked = scores.OrderByDescending(p => p.Value).ThenByDescending(p => _popularity.GetValueOrDefault(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(count).Select(p => p.Key).ToList();
        return Fill(ranked, seen, count);
    }

    /// <summary>The shopper's distinct items with their recency weight (summed over their events), newest first.</summary>
    private IEnumerable<(string Item, double Weight)> Recent(string shopper)
    {
        var history = _historyOf.GetValueOrDefault(shopper) ?? [];
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var p = history.Count - 1; p >= 0; p--)
        {
            weights[history[p]] = weights.GetValueOrDefault(history[p]) + Math.Pow(0.5, (history.Count - 1 - p) / RecencyHalfLife);
        }

        return weights.Select(p => (p.Key, p.Value));
    }

    /// <summary>The items the shopper had an event on in the window.</summary>
    public HashSet<string> Seen(string shopper) => new(_historyOf.GetValueOrDefault(shopper) ?? [], StringComparer.Ordinal);

    private List<string> Fill(List<string> list, HashSet<string> seen, int count)
    {
        var taken = new HashSet<string>(list, StringComparer.Ordinal);
        foreach (var item in _popular)
        {
            if (list.Count >= count)
            {
                break;
            }

            if (!seen.Contains(item) && taken.Add(item))
            {
                list.Add(item);
            }
        }

        return list;
    }
}
