using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using nietras.SeparatedValues;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; read by Sep) whose header row
/// names the event fields: <c>eventId,userId,itemId,type,value,timestamp,sessionId,recommendationId</c>, in any
/// order, only those needed. An empty cell is an absent field; <c>timestamp</c> is ISO 8601 or Unix seconds.
/// Empty lines are skipped; a row is known by the line it starts on.
/// </summary>
public sealed class CsvHistoryReader : IHistoryReader
{
    /// <summary>The columns a header may name, in the casing the JSON shape uses.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["eventId", "userId", "itemId", "type", "value", "timestamp", "sessionId", "recommendationId"];

    private static readonly string[] RequiredColumns = ["userId", "itemId", "type"];

    /// <summary>
    /// Comma-separated always (Sep would otherwise guess the separator from the header); the header is read as a
    /// row like any other so that its errors are ours; rows may have a wrong number of fields, which is reported per row.
    /// </summary>
    private static readonly SepReaderOptions Options = new(new Sep(','))
    {
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    };

    public async IAsyncEnumerable<HistoryRow> ReadAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The text is the caller's: Sep leaves it open (its default would dispose it).
        using var reader = await Options.FromAsync(text, true, cancellationToken).ConfigureAwait(false);
        string[]? columns = null;
        var buffer = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(buffer);
        while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.Current.Span.IsEmpty)
            {
                continue;
            }

            if (columns is null)
            {
                columns = ReadHeader(reader.Current);
                continue;
            }

            yield return ToJson(reader.Current, columns, buffer, json);
        }
    }

    private static string[] ReadHeader(SepReader.Row header)
    {
        var line = StartLine(header);
        var columns = new string[header.ColCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var name = header[i].Span.TrimStart('\uFEFF').Trim().ToString();
            columns[i] = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new HistoryFormatException(
                    $"line {line}: the header names '{name}', which is not an event field (the columns are: {string.Join(",", Columns)}).");
            if (Array.IndexOf(columns, columns[i], 0, i) >= 0)
            {
                throw new HistoryFormatException($"line {line}: the header names '{columns[i]}' twice.");
            }
        }

        var missing = RequiredColumns.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new HistoryFormatException(
                $"line {line}: the header must name {string.Join(", ", missing)} (it names {string.Join(",", columns)}).");
        }

        return columns;
    }

    /// <summary>
    /// The line <paramref name="row"/> starts on. Sep 0.17.1 without a header row numbers the first row from 2
    /// (its LineNumberToExcl); every later row is numbered right. The first row always starts on line 1.
    /// </summary>
    private static int StartLine(SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    /// <summary>The row as an event object in the <c>POST /api/events</c> shape, written from the cells without copying them to strings.</summary>
    private static HistoryRow ToJson(SepReader.Row row, string[] columns, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        var line = StartLine(row);
        if (row.ColCount != columns.Length)
        {
            return HistoryRow.Invalid(line, "", $"has {row.ColCount} fields; the header has {columns.Length}.");
        }

        // One writer for every row: reset (its unwritten bytes dropped) rather than made anew.
        json.Reset();
        buffer.ResetWrittenCount();
        json.WriteStartObject();
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = row[i].Span;
            if (cell.IsEmpty)
            {
                continue;
            }

            switch (columns[i])
            {
                case "value":
                    if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                    {
                        return HistoryRow.Invalid(line, "value", $"must be a number, not '{cell}'.");
                    }

                    json.WriteNumber("value", number);
                    break;
                case "timestamp":
                    if (!HistoryTimestamps.TryNormalize(cell.ToString(), out var timestamp))
                    {
                        return HistoryRow.Invalid(line, "timestamp", $"must be Unix seconds from 0 to 253402300799, not '{cell}'.");
                    }

                    json.WriteString("timestamp", timestamp);
                    break;
                default:
                    json.WriteString(columns[i], cell);
                    break;
            }
        }

        json.WriteEndObject();
        json.Flush();
        return HistoryRow.Event(line, buffer.WrittenSpan.ToArray());
    }
}
