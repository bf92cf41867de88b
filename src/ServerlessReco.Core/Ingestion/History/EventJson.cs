using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// An event in the shape <c>POST /api/events</c> takes and JSON Lines history holds, so that what is
/// exported can be imported (or posted) again unchanged.
/// </summary>
public static class EventJson
{
    public static void Write(Utf8JsonWriter json, BehaviorEvent e)
    {
        json.WriteStartObject();
        json.WriteString("eventId", e.EventId);
        json.WriteString("userId", e.UserId);
        json.WriteString("itemId", e.ItemId);
        json.WriteString("type", e.Type.ToWireName());
        if (e.Value is { } value)
        {
            json.WriteNumber("value", value);
        }

        json.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        if (e.SessionId is not null)
        {
            json.WriteString("sessionId", e.SessionId);
        }

        if (e.RecommendationId is not null)
        {
            json.WriteString("recommendationId", e.RecommendationId);
        }

        if (e.Properties.Count > 0)
        {
            json.WriteStartObject("properties");
            foreach (var (key, text) in e.Properties)
            {
                json.WriteString(key, text);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>The event as one line of UTF-8 JSON (no line break).</summary>
    public static byte[] ToUtf8(BehaviorEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, e);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
