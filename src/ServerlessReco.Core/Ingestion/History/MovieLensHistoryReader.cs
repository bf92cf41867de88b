using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// MovieLens ratings: <c>user TAB item TAB rating TAB unix-seconds</c> (<c>u.data</c> of ML-100k; the
/// <c>::</c>-separated <c>ratings.dat</c> of the larger sets too). Each row becomes a <c>rating</c> event with
/// <c>value</c> = the rating and the id <c>ml:{user}:{item}:{timestamp}</c>, so that importing the file again
/// stores nothing twice and the ids match those the offline evaluation gives the same rows.
/// </summary>
public sealed class MovieLensHistoryReader : IHistoryReader
{
    public async IAsyncEnumerable<HistoryRow> ReadAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        await foreach (var (lineNumber, line) in HistoryLines.NonBlankAsync(text, cancellationToken).ConfigureAwait(false))
        {
            yield return ToJson(lineNumber, line, buffer);
        }
    }

    /// <summary>The deterministic id of one MovieLens rating.</summary>
    public static string EventId(string user, string item, long unixSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"ml:{user}:{item}:{unixSeconds}");

    private static HistoryRow ToJson(long lineNumber, string line, ArrayBufferWriter<byte> buffer)
    {
        var parts = line.Contains("::", StringComparison.Ordinal) ? line.Split("::") : line.Split('\t');
        if (parts.Length != 4)
        {
            return HistoryRow.Invalid(lineNumber, "", $"has {parts.Length} fields; a MovieLens rating has 4 (user, item, rating, timestamp).");
        }

        var (user, item, ratingText, timestampText) = (parts[0].Trim(), parts[1].Trim(), parts[2].Trim(), parts[3].Trim());
        if (!double.TryParse(ratingText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating) || !double.IsFinite(rating))
        {
            return HistoryRow.Invalid(lineNumber, "value", $"must be a number, not '{ratingText}'.");
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return HistoryRow.Invalid(lineNumber, "timestamp", $"must be Unix seconds, not '{timestampText}'.");
        }

        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", EventId(user, item, seconds));
            json.WriteString("userId", user);
            json.WriteString("itemId", item);
            json.WriteString("type", "rating");
            json.WriteNumber("value", rating);
            json.WriteString("timestamp", HistoryTimestamps.FromUnixSeconds(seconds));
            json.WriteEndObject();
        }

        return HistoryRow.Event(lineNumber, buffer.WrittenSpan.ToArray());
    }
}
