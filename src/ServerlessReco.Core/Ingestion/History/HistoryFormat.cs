namespace ServerlessReco.Core.Ingestion.History;

/// <summary>The file formats a shop's event history can be imported from.</summary>
public enum HistoryFormat
{
    /// <summary>Comma-separated values whose header row names the event fields.</summary>
    Csv,

    /// <summary>One event object per line, exactly as <c>POST /api/events</c> takes it.</summary>
    JsonLines,

    /// <summary>MovieLens ratings (<c>u.data</c>: user, item, rating, Unix seconds, tab-separated).</summary>
    MovieLens,
}

public static class HistoryFormats
{
    /// <summary>The names users type: <c>csv</c>, <c>jsonl</c>, <c>movielens</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["csv", "jsonl", "movielens"];

    /// <summary>The name a user types for <paramref name="format"/>.</summary>
    public static string NameOf(HistoryFormat format) => format switch
    {
        HistoryFormat.Csv => "csv",
        HistoryFormat.JsonLines => "jsonl",
        HistoryFormat.MovieLens => "movielens",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a history format."),
    };

    public static bool TryParse(string? name, out HistoryFormat format)
    {
        switch (name?.ToLowerInvariant())
        {
            case "csv":
                format = HistoryFormat.Csv;
                return true;
            case "jsonl" or "ndjson" or "jsonlines":
                format = HistoryFormat.JsonLines;
                return true;
            case "movielens" or "ml":
                format = HistoryFormat.MovieLens;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>
    /// The format a file name implies: <c>.csv</c>, <c>.jsonl</c>/<c>.ndjson</c>, <c>u.data</c>/<c>.data</c>;
    /// null when the name says nothing.
    /// </summary>
    public static HistoryFormat? FromFileName(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return Path.GetExtension(name) switch
        {
            ".csv" => HistoryFormat.Csv,
            ".jsonl" or ".ndjson" => HistoryFormat.JsonLines,
            ".data" => HistoryFormat.MovieLens,
            _ => null,
        };
    }

    /// <summary>The reader that turns rows of <paramref name="format"/> into event objects.</summary>
    public static IHistoryReader ReaderFor(HistoryFormat format) => format switch
    {
        HistoryFormat.Csv => new CsvHistoryReader(),
        HistoryFormat.JsonLines => new JsonLinesHistoryReader(),
        HistoryFormat.MovieLens => new MovieLensHistoryReader(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a history format."),
    };
}
