using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Segments;

/// <summary>
/// The training segments cannot be read as their manifest says: the manifest is not valid, or a segment it names is
/// missing, undecodable or holds another number of rows. They are rebuilt from the start of the change feed
/// (<see cref="TrainingSegments.RebuildAsync"/>): the event store still holds every event the window needs.
/// </summary>
public sealed class DamagedSegmentsException(string blob, string problem, Exception? inner = null)
    : Exception($"Training segments damaged: '{blob}' {problem}.", inner)
{
    /// <summary>The blob found damaged (the manifest or one segment).</summary>
    public string Blob { get; } = blob;

    /// <summary>The rows of one segment, throwing <see cref="DamagedSegmentsException"/> when they cannot be decoded or are not as many as the manifest says.</summary>
    internal static IEnumerable<BehaviorEvent> Rows(Stream content, SegmentInfo segment)
    {
        using var rows = SegmentFile.Read(content).GetEnumerator();
        long count = 0;
        while (true)
        {
            try
            {
                if (!rows.MoveNext())
                {
                    break;
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new DamagedSegmentsException(segment.Name, "cannot be decoded", e);
            }

            count++;
            yield return rows.Current;
        }

        if (count != segment.Events)
        {
            throw new DamagedSegmentsException(segment.Name, $"holds {count:N0} rows where the manifest names {segment.Events:N0}");
        }
    }
}
