using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// Every shopper's behaviour events of the training window as compact timelines (time, item key), collected on the
/// retrain's one read, so each training row's history features can be read as of the moment its list was shown: only
/// events before it count, as only those were in the shopper's history when it was served.
/// </summary>
public sealed class ClickHistory
{
    private readonly IdIndex _items = new();
    private readonly Dictionary<string, List<(long Ticks, int Item)>> _users = new(StringComparer.Ordinal);
    private Dictionary<string, HistoryEntry[]>? _frozen;

    /// <summary>The item's dense key (0, 1, ... in order of first sight): the timelines hold keys, not ids.</summary>
    public int ItemKey(string itemId) => _items.GetOrAdd(itemId);

    public void Add(BehaviorEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_frozen is not null || !ClickFeatures.ReadsEvent(e.Type))
        {
            return;
        }

        if (!_users.TryGetValue(e.UserId, out var timeline))
        {
            _users[e.UserId] = timeline = [];
        }

        timeline.Add((e.Timestamp.UtcTicks, ItemKey(e.ItemId)));
    }

    /// <summary>Sorts every timeline and resolves categories (keys from <paramref name="categoryKeyOf"/>, −1: none); no more events after it.</summary>
    public void Freeze(Func<string, int> categoryKeyOf)
    {
        ArgumentNullException.ThrowIfNull(categoryKeyOf);
        var categories = _items.Ids.Select(categoryKeyOf).ToArray();
        _frozen = new Dictionary<string, HistoryEntry[]>(_users.Count, StringComparer.Ordinal);
        foreach (var (user, timeline) in _users)
        {
            timeline.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
            _frozen[user] = [.. timeline.Select(t => new HistoryEntry(t.Ticks, t.Item, categories[t.Item]))];
        }

        _users.Clear();
    }

    /// <summary>The shopper's events before <paramref name="ticks"/>, oldest first (empty for a shopper with none).</summary>
    public ReadOnlySpan<HistoryEntry> Before(string userId, long ticks)
    {
        if (_frozen is null || !_frozen.TryGetValue(userId, out var entries))
        {
            return [];
        }

        var (lo, hi) = (0, entries.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Ticks < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return entries.AsSpan(0, lo);
    }
}
