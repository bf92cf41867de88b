using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) whose header row names the
/// event fields: <c>eventId,userId,itemId,type,value,timestamp,sessionId,recommendationId</c>, in any order,
/// only those needed. An empty cell is an absent field; <c>timestamp</c> is ISO 8601 or Unix seconds.
/// </summary>
public sealed class CsvHistoryReader : IHistoryReader
{
    /// <summary>The columns a header may name, in the casing the JSON shape uses.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["eventId", "userId", "itemId", "type", "value", "timestamp", "sessionId", "recommendationId"];

    private static readonly string[] RequiredColumns = ["userId", "itemId", "type"];

    public async IAsyncEnumerable<HistoryRow> ReadAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var records = new CsvRecords(text);
        var header = await records.NextAsync(cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            yield break;
        }

        var columns = ReadHeader(header.Value);
        var buffer = new ArrayBufferWriter<byte>(512);
        while (await records.NextAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            if (record.Error is { } error)
            {
                yield return HistoryRow.Invalid(record.Line, "", error);
                continue;
            }

            if (record.Fields.Count != columns.Length)
            {
                yield return HistoryRow.Invalid(record.Line, "", $"has {record.Fields.Count} fields; the header has {columns.Length}.");
                continue;
            }

            yield return ToJson(record, columns, buffer);
        }
    }

    private static string[] ReadHeader(CsvRecord header)
    {
        if (header.Error is { } error)
        {
            throw new HistoryFormatException($"line {header.Line}: the header row cannot be read: {error}");
        }

        var columns = new string[header.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var name = header.Fields[i].Trim().TrimStart('\uFEFF');
            columns[i] = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new HistoryFormatException(
                    $"line {header.Line}: the header names '{name}', which is not an event field (the columns are: {string.Join(",", Columns)}).");
            if (Array.IndexOf(columns, columns[i], 0, i) >= 0)
            {
                throw new HistoryFormatException($"line {header.Line}: the header names '{columns[i]}' twice.");
            }
        }

        var missing = RequiredColumns.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new HistoryFormatException(
                $"line {header.Line}: the header must name {string.Join(", ", missing)} (it names {string.Join(",", columns)}).");
        }

        return columns;
    }

    private static HistoryRow ToJson(CsvRecord record, string[] columns, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Length; i++)
            {
                var cell = record.Fields[i];
                if (cell.Length == 0)
                {
                    continue;
                }

                switch (columns[i])
                {
                    case "value":
                        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                        {
                            return HistoryRow.Invalid(record.Line, "value", $"must be a number, not '{cell}'.");
                        }

                        json.WriteNumber("value", number);
                        break;
                    case "timestamp":
                        if (!HistoryTimestamps.TryNormalize(cell, out var timestamp))
                        {
                            return HistoryRow.Invalid(record.Line, "timestamp", $"must be Unix seconds from 0 to 253402300799, not '{cell}'.");
                        }

                        json.WriteString("timestamp", timestamp);
                        break;
                    default:
                        json.WriteString(columns[i], cell);
                        break;
                }
            }

            json.WriteEndObject();
        }

        return HistoryRow.Event(record.Line, buffer.WrittenSpan.ToArray());
    }

    /// <summary>One CSV record: the line it starts on and its fields, or why it cannot be read.</summary>
    private readonly record struct CsvRecord(long Line, List<string> Fields, string? Error);

    /// <summary>Reads records one at a time, following quoted fields across line breaks.</summary>
    private sealed class CsvRecords(TextReader text)
    {
        private long _line;

        public async ValueTask<CsvRecord?> NextAsync(CancellationToken cancellationToken)
        {
            string? line;
            do
            {
                line = await text.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    return null;
                }

                _line++;
            }
            while (line.Length == 0);

            var start = _line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var atFieldStart = true;
            while (true)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (inQuotes)
                    {
                        if (c != '"')
                        {
                            field.Append(c);
                        }
                        else if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else if (c == ',')
                    {
                        fields.Add(field.ToString());
                        field.Clear();
                        atFieldStart = true;
                        continue;
                    }
                    else if (c == '"' && atFieldStart)
                    {
                        inQuotes = true;
                    }
                    else
                    {
                        field.Append(c);
                    }

                    atFieldStart = false;
                }

                if (!inQuotes)
                {
                    fields.Add(field.ToString());
                    return new CsvRecord(start, fields, null);
                }

                // A quoted field goes on past the line break.
                line = await text.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null || field.Length > IngestionLimits.MaxBodyBytes)
                {
                    return new CsvRecord(start, fields, "has a quoted field that is never closed.");
                }

                _line++;
                field.Append('\n');
            }
        }
    }
}
