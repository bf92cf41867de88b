using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Activity;

/// <summary>
/// What shoppers did on one UTC day: behaviour events per type, which shoppers were active, and events per item.
/// Shoppers are kept as 32-bit hashes of their (pseudonymous) ids, never the ids: enough to count them (100,000 shoppers
/// collide about once), far smaller than the ids, and nothing a dump of the process could link back to a person.
/// </summary>
public sealed class DayActivity
{
    private readonly Dictionary<EventType, int> _counts = [];
    private readonly HashSet<int> _shoppers = [];
    private readonly Dictionary<string, int> _itemEvents = new(StringComparer.Ordinal);

    public DayActivity(DateOnly day) => Day = day;

    public DateOnly Day { get; }

    public IReadOnlyDictionary<EventType, int> Counts => _counts;

    public int Shoppers => _shoppers.Count;

    /// <summary>Behaviour events per item id (every type but impressions).</summary>
    public IReadOnlyDictionary<string, int> ItemEvents => _itemEvents;

    internal IReadOnlySet<int> ShopperHashes => _shoppers;

    /// <summary>Counts one event. Impressions are what we showed, not what a shopper did: they are not activity.</summary>
    public void Add(BehaviorEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type == EventType.Impression)
        {
            return;
        }

        _counts[e.Type] = _counts.GetValueOrDefault(e.Type) + 1;
        _shoppers.Add(string.GetHashCode(e.UserId, StringComparison.Ordinal));
        _itemEvents[e.ItemId] = _itemEvents.GetValueOrDefault(e.ItemId) + 1;
    }
}
