namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// The last steps of <see cref="InteractionMatrixBuilder"/> on (user, item) keys sorted ascending, packed as
/// user &lt;&lt; 32 | item: repeated pairs summed, then the kept pairs laid out as compressed sparse rows.
/// </summary>
internal static class PairRows
{
    /// <summary>
    /// Sums repeated (user, item) pairs in place, keeping the time and arrival number of the latest (the later arrival
    /// among events at the same second); returns how many pairs remain.
    /// </summary>
    public static int SumRepeatedPairs(long[] keys, double[] values, long[] lastTimes, long[] arrivals)
    {
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (n > 0 && keys[n - 1] == keys[i])
            {
                values[n - 1] += values[i];
                if (lastTimes[i] > lastTimes[n - 1] || (lastTimes[i] == lastTimes[n - 1] && arrivals[i] > arrivals[n - 1]))
                {
                    lastTimes[n - 1] = lastTimes[i];
                    arrivals[n - 1] = arrivals[i];
                }
            }
            else
            {
                keys[n] = keys[i];
                values[n] = values[i];
                lastTimes[n] = lastTimes[i];
                arrivals[n] = arrivals[i];
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// The kept pairs as compressed rows, with each pair's place back from the user's newest (<see cref="HistoryOrder"/>).
    /// Keys were sorted by original (user, item) index; renumbering keeps that order because Filter is monotone.
    /// </summary>
    public static (int[] RowStart, int[] Columns, double[] Values, long[] Times, int[] Ranks) Rows(
        long[] keys, double[] values, long[] lastTimes, long[] arrivals, int n, int[] itemMap, int[] userMap, int userCount)
    {
        var keptArrivals = new List<long>(n);
        var rowStart = new int[userCount + 1];
        var columns = new List<int>(n);
        var kept = new List<double>(n);
        var keptTimes = new List<long>(n);
        for (var i = 0; i < n; i++)
        {
            var user = userMap[(int)(keys[i] >> 32)];
            var item = itemMap[(int)(keys[i] & 0xffffffff)];
            if (user < 0 || item < 0)
            {
                continue;
            }

            rowStart[user + 1]++;
            columns.Add(item);
            kept.Add(values[i]);
            keptTimes.Add(lastTimes[i]);
            keptArrivals.Add(arrivals[i]);
        }

        for (var u = 0; u < userCount; u++)
        {
            rowStart[u + 1] += rowStart[u];
        }

        long[] times = [.. keptTimes];
        long[] arrived = [.. keptArrivals];
        var ranks = new int[times.Length];
        for (var u = 0; u < userCount; u++)
        {
            var start = rowStart[u];
            var length = rowStart[u + 1] - start;
            HistoryOrder.Rank(times.AsSpan(start, length), arrived.AsSpan(start, length), ranks.AsSpan(start, length));
        }

        return (rowStart, [.. columns], [.. kept], times, ranks);
    }
}
