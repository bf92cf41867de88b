namespace ServerlessReco.Core.Events;

/// <summary>What a shopper did with an item.</summary>
public enum EventType
{
    View,
    Click,
    AddToCart,
    Purchase,
    Rating,
    Impression,
    Dismiss,

    /// <summary>Saved to a wishlist or favourites: stronger than a click, weaker than a cart. Last, as segment files store the number.</summary>
    Favorite,
}

/// <summary>The wire names of <see cref="EventType"/> (snake_case, as clients send them).</summary>
public static class EventTypeNames
{
    private static readonly Dictionary<string, EventType> ByName = new(StringComparer.Ordinal)
    {
        ["view"] = EventType.View,
        ["click"] = EventType.Click,
        ["favorite"] = EventType.Favorite,
        ["add_to_cart"] = EventType.AddToCart,
        ["purchase"] = EventType.Purchase,
        ["rating"] = EventType.Rating,
        ["impression"] = EventType.Impression,
        ["dismiss"] = EventType.Dismiss,
    };

    private static readonly Dictionary<EventType, string> ByType = ByName.ToDictionary(p => p.Value, p => p.Key);

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string ToWireName(this EventType type) => ByType[type];

    public static bool TryParse(string? name, out EventType type) => ByName.TryGetValue(name ?? "", out type);
}
