using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// The bytes of one training segment: gzip over a binary list of the fields a retrain reads (user pseudonym, item,
/// event id, type, value, time in UTC ticks, and the served list an event cites, which attributes rewards in the
/// exploration report), nothing else: no session or properties. Rows keep the order they were read in.
/// </summary>
public static class SegmentFile
{
    private const int Magic = 0x47455352; // "RSEG", little-endian
    private const byte FormatVersion = 1;

    /// <summary>Writes <paramref name="events"/> as one segment to <paramref name="destination"/> (left open).</summary>
    public static void Write(Stream destination, IEnumerable<BehaviorEvent> events)
    {
        BinaryRowFile.Write(destination, Magic, FormatVersion, events, static (writer, e) =>
        {
            writer.Write(e.UserId);
            writer.Write(e.ItemId);
            writer.Write(e.EventId);
            writer.Write((byte)e.Type);
            writer.Write(e.Value.HasValue);
            if (e.Value is { } value)
            {
                writer.Write(value);
            }

            writer.Write(e.Timestamp.UtcTicks);
            writer.Write(e.RecommendationId is not null);
            if (e.RecommendationId is { } list)
            {
                writer.Write(list);
            }
        });
    }

    /// <summary>The rows of a segment, in the order they were written.</summary>
    public static IEnumerable<BehaviorEvent> Read(Stream source)
    {
        return BinaryRowFile.Read(source, Magic, FormatVersion, "training segment", static reader =>
        {
            var userId = reader.ReadString();
            var itemId = reader.ReadString();
            var eventId = reader.ReadString();
            var type = (EventType)reader.ReadByte();
            double? value = reader.ReadBoolean() ? reader.ReadDouble() : null;
            var timestamp = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            return new BehaviorEvent
            {
                UserId = userId,
                ItemId = itemId,
                EventId = eventId,
                Type = type,
                Value = value,
                Timestamp = timestamp,
                RecommendationId = reader.ReadBoolean() ? reader.ReadString() : null,
            };
        });
    }
}
