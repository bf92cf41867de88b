using System.Text.Json;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Ingestion;

/// <summary>Turns one JSON object into a <see cref="BehaviorEvent"/>, or records why it cannot.</summary>
public sealed class EventParser(TimeProvider clock, RetentionPolicy retention)
{
    private static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "eventId", "userId", "itemId", "type", "value", "timestamp", "sessionId", "recommendationId", "properties",
    };

    /// <summary>Parses a whole request body (one event or an array of events).</summary>
    public BatchParseResult<BehaviorEvent> ParseBatch(ReadOnlyMemory<byte> body)
    {
        var now = clock.GetUtcNow();
        var digest = EventIdentity.BodyDigest(body.Span);
        return JsonBatch.Parse(body, (element, index, errors) => Parse(element, index, now, errors, digest));
    }

    /// <summary>
    /// One event. Without <c>eventId</c> and <c>timestamp</c>, its id comes from <paramref name="bodyDigest"/> and
    /// <paramref name="index"/> (<see cref="EventIdentity"/>); with no digest (one event a line of an import), from its content.
    /// </summary>
    public BehaviorEvent? Parse(JsonElement element, int index, DateTimeOffset now, List<ValidationError> errors, byte[]? bodyDigest = null)
    {
        var before = errors.Count;
        var reader = new FieldReader(element, index, errors, Fields);
        var eventId = reader.Id("eventId", required: false);
        // An anonymous visitor may send its session id alone: the session id is then its shopper id.
        var sessionId = reader.Id("sessionId", required: false);
        var userId = reader.Id("userId", required: !reader.Has("sessionId")) ?? (reader.Has("userId") ? null : sessionId);
        var itemId = reader.Id("itemId", required: true);
        var recommendationId = reader.Id("recommendationId", required: false);
        var properties = reader.Properties("properties");

        EventType? type = null;
        if (reader.String("type", 32, required: true) is { } typeName)
        {
            if (EventTypeNames.TryParse(typeName, out var parsedType))
            {
                type = parsedType;
            }
            else
            {
                reader.Fail("type", $"'{typeName}' is not an event type (one of: {string.Join(", ", EventTypeNames.All)}).");
            }
        }

        var value = reader.Number("value", required: type == EventType.Rating);
        if (type == EventType.Rating && value is { } rating && (rating < 1 || rating > 5))
        {
            reader.Fail("value", $"must be a rating from 1 to 5 (it is {rating}).");
        }

        var sentTimestamp = reader.Timestamp("timestamp");
        var timestamp = sentTimestamp ?? now;
        if (timestamp > now + IngestionLimits.MaxClockSkew)
        {
            reader.Fail("timestamp", $"is in the future (more than {IngestionLimits.MaxClockSkew.TotalMinutes} minutes after the server's clock).");
        }
        else if (retention.OldestKept(now) is { } oldest && timestamp < oldest)
        {
            reader.Fail("timestamp", $"is older than the retention period of {retention.Days} days.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new BehaviorEvent
        {
            EventId = eventId ?? DerivedId(bodyDigest, index, sentTimestamp is not null, userId!, itemId!, type!.Value, value, timestamp, sessionId, recommendationId),
            UserId = userId!,
            ItemId = itemId!,
            Type = type!.Value,
            Value = value,
            Timestamp = timestamp,
            SessionId = sessionId,
            RecommendationId = recommendationId,
            Properties = properties ?? BehaviorEvent.EmptyProperties,
        };
    }

    /// <summary>The id of an event sent without one (<see cref="EventIdentity"/>): never from the server's clock.</summary>
    private static string DerivedId(
        byte[]? bodyDigest, int index, bool timestampSent, string userId, string itemId, EventType type, double? value, DateTimeOffset timestamp,
        string? sessionId, string? recommendationId) =>
        !timestampSent && bodyDigest is not null
            ? EventIdentity.FromPosition(bodyDigest, index)
            : EventIdentity.FromContent(userId, itemId, type, value, timestamp, sessionId, recommendationId);
}
