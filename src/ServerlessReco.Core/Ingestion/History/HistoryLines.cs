using System.Runtime.CompilerServices;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>The line-based history formats' reading: every line that is not blank, with its number in the file.</summary>
internal static class HistoryLines
{
    /// <summary>
    /// The non-blank lines of <paramref name="text"/>, numbered from 1 with the blank ones counted, so that a row's
    /// problem names the line an editor shows.
    /// </summary>
    public static async IAsyncEnumerable<(long Number, string Line)> NonBlankAsync(TextReader text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long number = 0;
        while (await text.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (number, line);
            }
        }
    }
}
