using System.Text.Json.Serialization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// One event as stored in the `events` container (partition key /userId). <see cref="EpochMs"/> is the
/// timestamp as a number so that range queries and ordering use one indexed numeric path.
/// </summary>
internal sealed record EventDocument
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("eventId")] public required string EventId { get; init; }
    [JsonPropertyName("itemId")] public required string ItemId { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("value")] public double? Value { get; init; }

    /// <summary>The timestamp as the client gave it (ISO 8601, offset kept, full precision).</summary>
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The timestamp in Unix milliseconds: the indexed path that queries filter and sort on.</summary>
    [JsonPropertyName("ts")] public required long EpochMs { get; init; }

    [JsonPropertyName("sessionId")] public string? SessionId { get; init; }
    [JsonPropertyName("recommendationId")] public string? RecommendationId { get; init; }
    [JsonPropertyName("properties")] public Dictionary<string, string>? Properties { get; init; }

    /// <summary>Seconds left to live from the write, so that imported history expires when its own age says.</summary>
    [JsonPropertyName("ttl")] public int? Ttl { get; init; }

    public static EventDocument From(BehaviorEvent e, int? secondsToLive) => new()
    {
        Id = CosmosIds.ToDocumentId(e.EventId),
        UserId = e.UserId,
        EventId = e.EventId,
        ItemId = e.ItemId,
        Type = e.Type.ToWireName(),
        Value = e.Value,
        Timestamp = e.Timestamp,
        EpochMs = e.Timestamp.ToUnixTimeMilliseconds(),
        SessionId = e.SessionId,
        RecommendationId = e.RecommendationId,
        Properties = e.Properties.Count == 0 ? null : new Dictionary<string, string>(e.Properties, StringComparer.Ordinal),
        Ttl = secondsToLive,
    };

    public BehaviorEvent ToEvent() => new()
    {
        EventId = EventId,
        UserId = UserId,
        ItemId = ItemId,
        Type = EventTypeNames.TryParse(Type, out var type)
            ? type
            : throw new InvalidDataException($"Stored event '{EventId}' has an unknown type '{Type}'."),
        Value = Value,
        Timestamp = Timestamp,
        SessionId = SessionId,
        RecommendationId = RecommendationId,
        Properties = Properties is { Count: > 0 } ? Properties : new Dictionary<string, string>(StringComparer.Ordinal),
    };
}
