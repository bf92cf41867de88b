using System.Text;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// The training histories as neighbour sessions for session k-nearest neighbours (<see cref="SessionNeighbors"/>): each
/// training row (a shopper, or an anonymous session filed under its session id) with its items oldest first, numbered
/// by recency (0: the session whose latest event is the newest), and for each item the sessions that hold it, most
/// recent first. Saved with the model (attachment <see cref="AttachmentName"/>) on the model's item numbering, so serving
/// needs no training data. Immutable; thread-safe.
/// </summary>
public sealed class SessionIndex
{
    public const string AttachmentName = "session-index";

    private SessionIndex(int itemCount, int[] sessionStart, int[] sessionItems, int[] postingStart, int[] postings)
    {
        ItemCount = itemCount;
        SessionStart = sessionStart;
        SessionItems = sessionItems;
        PostingStart = postingStart;
        Postings = postings;
    }

    /// <summary>How many items the index numbers (the model's items).</summary>
    public int ItemCount { get; }

    public int SessionCount => SessionStart.Length - 1;

    /// <summary>Session s holds items [SessionStart[s], SessionStart[s + 1]) of <see cref="SessionItems"/>, oldest first.</summary>
    internal int[] SessionStart { get; }

    internal int[] SessionItems { get; }

    /// <summary>Item i is held by sessions [PostingStart[i], PostingStart[i + 1]) of <see cref="Postings"/>, ascending (most recent first).</summary>
    internal int[] PostingStart { get; }

    internal int[] Postings { get; }

    public ReadOnlySpan<int> ItemsOf(int session) => SessionItems.AsSpan(SessionStart[session], SessionStart[session + 1] - SessionStart[session]);

    public ReadOnlySpan<int> SessionsOf(int item) => Postings.AsSpan(PostingStart[item], PostingStart[item + 1] - PostingStart[item]);

    /// <summary>
    /// The newest <paramref name="maxSessions"/> rows of <paramref name="data"/> (by their latest event; ties by row) as
    /// sessions, each row's items ordered by <see cref="InteractionMatrix.Ranks"/> (by time when the matrix has none).
    /// </summary>
    public static SessionIndex Build(InteractionMatrix data, int maxSessions)
    {
        ArgumentNullException.ThrowIfNull(data);
        var last = new long[data.UserCount];
        for (var u = 0; u < data.UserCount; u++)
        {
            var times = data.RowTimes(u);
            last[u] = times.Length == 0 ? long.MinValue : Max(times);
        }

        var rows = Enumerable.Range(0, data.UserCount).Where(u => data.RowItems(u).Length > 0)
            .OrderByDescending(u => last[u]).ThenBy(u => u).Take(Math.Max(0, maxSessions)).ToArray();
        var sessionStart = new int[rows.Length + 1];
        var sessionItems = new List<int>();
        var postingCount = new int[data.ItemCount + 1];
        for (var s = 0; s < rows.Length; s++)
        {
            foreach (var item in OldestFirst(data, rows[s]))
            {
                sessionItems.Add(item);
                postingCount[item + 1]++;
            }

            sessionStart[s + 1] = sessionItems.Count;
        }

        for (var i = 0; i < data.ItemCount; i++)
        {
            postingCount[i + 1] += postingCount[i];
        }

        var postings = new int[sessionItems.Count];
        var next = postingCount[..^1];
        for (var s = 0; s < rows.Length; s++)
        {
            for (var p = sessionStart[s]; p < sessionStart[s + 1]; p++)
            {
                postings[next[sessionItems[p]]++] = s;
            }
        }

        return new SessionIndex(data.ItemCount, sessionStart, [.. sessionItems], postingCount, postings);
    }

    /// <summary>A row's items oldest first: the item of rank r (0: the newest) at position length − 1 − r.</summary>
    private static int[] OldestFirst(InteractionMatrix data, int row)
    {
        var items = data.RowItems(row);
        var ranks = data.RowRanks(row);
        if (ranks.Length != items.Length)
        {
            var times = data.RowTimes(row).ToArray();
            var byTime = items.ToArray();
            Array.Sort(times, byTime);
            return byTime;
        }

        var sequence = new int[items.Length];
        for (var p = 0; p < items.Length; p++)
        {
            sequence[items.Length - 1 - ranks[p]] = items[p];
        }

        return sequence;
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        var max = long.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>The index an artifact carries, or null for a model trained without one.</summary>
    public static SessionIndex? From(ModelArtifact artifact) =>
        artifact.Attachments.TryGetValue(AttachmentName, out var payload) ? FromBytes(payload) : null;

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ItemCount);
            Write(writer, SessionStart);
            Write(writer, SessionItems);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>; the postings are rebuilt (they follow from the sessions).</summary>
    public static SessionIndex FromBytes(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var itemCount = reader.ReadInt32();
        var sessionStart = Read(reader);
        var sessionItems = Read(reader);
        if (sessionStart.Length == 0 || sessionStart[^1] != sessionItems.Length || sessionItems.Any(i => (uint)i >= (uint)itemCount))
        {
            throw new InvalidDataException("The session index is inconsistent.");
        }

        var postingStart = new int[itemCount + 1];
        foreach (var item in sessionItems)
        {
            postingStart[item + 1]++;
        }

        for (var i = 0; i < itemCount; i++)
        {
            postingStart[i + 1] += postingStart[i];
        }

        var postings = new int[sessionItems.Length];
        var next = postingStart[..^1];
        for (var s = 0; s + 1 < sessionStart.Length; s++)
        {
            for (var p = sessionStart[s]; p < sessionStart[s + 1]; p++)
            {
                postings[next[sessionItems[p]]++] = s;
            }
        }

        return new SessionIndex(itemCount, sessionStart, sessionItems, postingStart, postings);
    }

    private static void Write(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    private static int[] Read(BinaryReader reader)
    {
        var values = new int[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }

        return values;
    }
}
