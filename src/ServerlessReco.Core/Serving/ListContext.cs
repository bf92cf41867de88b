using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// One personal list in the making: what every stage reads (the serving state, the user's recent events oldest first,
/// the time, the category filter, the session) and <see cref="Taken"/>, the one set of items the list may no longer
/// take: the user's exclusions at first, then every item a stage picks.
/// </summary>
internal sealed class ListContext(ServingState state, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now, int category, string? sessionId, UserExclusions exclusions)
{
    private Dictionary<int, double>? _categoryShares;

    public ServingState State { get; } = state;

    public IReadOnlyList<BehaviorEvent> Events { get; } = events;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The category filter's id, or <see cref="CatalogRules.AnyCategory"/>.</summary>
    public int Category { get; } = category;

    /// <summary>Items the list must not show: the user's exclusions, then what the list already holds.</summary>
    public HashSet<string> Taken { get; } = exclusions.Excluded;

    /// <summary>The strongest thing the user did with each item, for "because you bought …".</summary>
    public IReadOnlyDictionary<string, EventType> Strongest { get; } = exclusions.Strongest;

    /// <summary>The categories the user is into now (<see cref="SessionCategories"/>), computed when first needed.</summary>
    /// <summary>The session the request names, if any.</summary>
    public string? SessionId { get; } = sessionId;

    public Dictionary<int, double> CategoryShares => _categoryShares ??= SessionCategories.Shares(State, Events, SessionId, State.Weights);
}
