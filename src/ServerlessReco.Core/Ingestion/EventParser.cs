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
        return JsonBatch.Parse(body, (element, index, errors) => Parse(element, index, now, errors));
    }

    public BehaviorEvent? Parse(JsonElement element, int index, DateTimeOffset now, List<ValidationError> errors)
    {
        var before = errors.Count;
        var reader = new FieldReader(element, index, errors, Fields);
        var eventId = reader.Id("eventId", required: false);
        var userId = reader.Id("userId", required: true);
        var itemId = reader.Id("itemId", required: true);
        var sessionId = reader.Id("sessionId", required: false);
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

        var timestamp = reader.Timestamp("timestamp") ?? now;
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
            EventId = eventId ?? EventIdentity.FromContent(userId!, itemId!, type!.Value, value, timestamp, sessionId, recommendationId),
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
}
