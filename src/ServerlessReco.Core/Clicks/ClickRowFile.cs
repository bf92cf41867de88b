using ServerlessReco.Core.Events;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// The bytes of one file of click rows: gzip over a binary list of each row's fields, in the order written. Strings
/// read back are shared through one table per read, so a million rows of a few thousand shoppers and items hold each
/// pseudonym and item id once.
/// </summary>
public static class ClickRowFile
{
    private const int Magic = 0x4B434C43; // "CLCK", little-endian
    private const byte FormatVersion = 1;
    private const byte NoSource = byte.MaxValue;

    public static void Write(Stream destination, IEnumerable<ClickRow> rows)
    {
        BinaryRowFile.Write(destination, Magic, FormatVersion, rows, static (writer, row) =>
        {
            writer.Write(row.UserId);
            writer.Write(row.ItemId);
            writer.Write(row.ListId);
            writer.Write(row.ShownAt.UtcTicks);
            writer.Write(row.Position);
            writer.Write((byte)row.Kind);
            writer.Write(row.Propensity);
            writer.Write(row.Rank);
            writer.Write(row.Score);
            writer.Write(row.Source is { } source ? (byte)source : NoSource);
            writer.Write((byte)row.Origin);
            writer.Write((byte)row.Outcome);
        });
    }

    /// <param name="strings">Shared across the files of one read, so equal ids are one string.</param>
    public static List<ClickRow> Read(Stream source, Dictionary<string, string>? strings = null)
    {
        strings ??= new Dictionary<string, string>(StringComparer.Ordinal);
        return BinaryRowFile.Read(source, Magic, FormatVersion, "click-row file", reader =>
        {
            var user = Shared(strings, reader.ReadString());
            var item = Shared(strings, reader.ReadString());
            var list = reader.ReadString(); // one list's rows share nothing worth a table entry per list
            var shownAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var position = reader.ReadInt32();
            var kind = (SlotKind)reader.ReadByte();
            var propensity = reader.ReadDouble();
            var rank = reader.ReadInt32();
            var score = reader.ReadDouble();
            var reason = reader.ReadByte();
            var origin = (ClickRowOrigin)reader.ReadByte();
            var outcome = (ClickOutcome)reader.ReadByte();
            return new ClickRow(user, item, list, shownAt, position, kind, propensity, rank, score,
                reason == NoSource ? null : (ReasonKind)reason, origin, outcome);
        }).ToList();
    }

    private static string Shared(Dictionary<string, string> strings, string value)
    {
        if (strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        strings[value] = value;
        return value;
    }
}
