namespace ServerlessReco.Core.Ingestion.History;

/// <summary>
/// Translates the rows of one file format into event objects in the <c>POST /api/events</c> shape and
/// nothing more: whether an event is valid is decided once, by <see cref="EventParser"/>, for every format.
/// A reader only reports what its format itself makes unreadable (a missing column, a number that is not one).
/// </summary>
public interface IHistoryReader
{
    /// <summary>
    /// The rows of <paramref name="text"/>, one at a time, as it is read (never the whole file at once).
    /// Throws <see cref="HistoryFormatException"/> when the file as a whole cannot be read (a bad header).
    /// </summary>
    IAsyncEnumerable<HistoryRow> ReadAsync(TextReader text, CancellationToken cancellationToken = default);
}

/// <summary>
/// One row of a history file: the line it starts on and either the event as a UTF-8 JSON object
/// or why the row could not be turned into one.
/// </summary>
public readonly record struct HistoryRow(long Line, byte[]? Json, ImportError? Error)
{
    public static HistoryRow Event(long line, byte[] json) => new(line, json, null);

    public static HistoryRow Invalid(long line, string field, string message) => new(line, null, new ImportError(line, field, message));
}

/// <summary>A row that was not imported: its line in the file (1-based), the field, and what is wrong.</summary>
public sealed record ImportError(long Line, string Field, string Message)
{
    public override string ToString() =>
        Field.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}: {Field} {Message}";
}

/// <summary>The file as a whole cannot be imported (for instance its header names no event fields).</summary>
public sealed class HistoryFormatException(string message) : Exception(message);
