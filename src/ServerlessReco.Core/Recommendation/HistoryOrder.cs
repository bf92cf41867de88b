namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// The order of a shopper's items, newest first, the one rule training, serving and offline evaluation share: an item
/// is as recent as its latest event; events at the same second are ordered as they arrived (the store's order, the
/// order of a file), the later one being the newer.
/// </summary>
public static class HistoryOrder
{
    /// <summary>
    /// Writes each item's place back from the newest (0: the newest) into <paramref name="ranks"/>, given each item's
    /// latest event time and that event's arrival number.
    /// </summary>
    public static void Rank(ReadOnlySpan<long> latestTimes, ReadOnlySpan<long> arrivals, Span<int> ranks)
    {
        var n = latestTimes.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var times = latestTimes.ToArray();
        var arrived = arrivals.ToArray();
        Array.Sort(order, (a, b) => times[a] != times[b] ? times[b].CompareTo(times[a]) : arrived[b].CompareTo(arrived[a]));
        for (var r = 0; r < n; r++)
        {
            ranks[order[r]] = r;
        }
    }

    /// <summary>Multiplies each affinity by its item's position weight (<see cref="TrainingOptions.PositionWeight"/>).</summary>
    public static void Weigh(TrainingOptions options, ReadOnlySpan<int> ranks, Span<double> affinities)
    {
        if (options.HistoryHalfLife is null)
        {
            return;
        }

        for (var i = 0; i < affinities.Length; i++)
        {
            affinities[i] *= options.PositionWeight(ranks[i]);
        }
    }
}
