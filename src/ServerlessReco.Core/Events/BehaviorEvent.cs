namespace ServerlessReco.Core.Events;

/// <summary>
/// One thing a shopper did, as stored. Every event has an id: the client's own, or one derived from
/// its content (<see cref="Ingestion.EventIdentity"/>), so that a retried post is stored once.
/// </summary>
public sealed record BehaviorEvent
{
    public required string EventId { get; init; }
    public required string UserId { get; init; }
    public required string ItemId { get; init; }
    public required EventType Type { get; init; }

    /// <summary>The rating (1-5) for <see cref="EventType.Rating"/>; optional otherwise.</summary>
    public double? Value { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
    public string? SessionId { get; init; }

    /// <summary>The served recommendation list that led to this event, for attribution.</summary>
    public string? RecommendationId { get; init; }

    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    internal static readonly IReadOnlyDictionary<string, string> EmptyProperties =
        new Dictionary<string, string>(StringComparer.Ordinal);
}
