using System.Runtime.CompilerServices;
using System.Text;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>JSON Lines: one event object per line, exactly the shape <c>POST /api/events</c> takes. Blank lines are skipped.</summary>
public sealed class JsonLinesHistoryReader : IHistoryReader
{
    public async IAsyncEnumerable<HistoryRow> ReadAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (lineNumber, line) in HistoryLines.NonBlankAsync(text, cancellationToken).ConfigureAwait(false))
        {
            // The same size bound as a request body: one line is at most one body.
            if (line.Length > IngestionLimits.MaxBodyBytes)
            {
                yield return HistoryRow.Invalid(lineNumber, "", $"is longer than {IngestionLimits.MaxBodyBytes} characters.");
                continue;
            }

            yield return HistoryRow.Event(lineNumber, Encoding.UTF8.GetBytes(line.TrimStart('\uFEFF')));
        }
    }
}
