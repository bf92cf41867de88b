namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// The last steps of <see cref="InteractionMatrixBuilder"/> on (user, item) keys sorted ascending, packed as
/// user &lt;&lt; 32 | item: repeated pairs summed, then the kept pairs laid out as compressed sparse rows.
/// </summary>
internal static class PairRows
{
    /// <summary>Sums repeated (user, item) pairs in place, keeping the time of the latest; returns how many pairs remain.</summary>
    public static int SumRepeatedPairs(long[] keys, double[] values, long[] lastTimes)
    {
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (n > 0 && keys[n - 1] == keys[i])
            {
                values[n - 1] += values[i];
                lastTimes[n - 1] = Math.Max(lastTimes[n - 1], lastTimes[i]);
            }
            else
            {
                keys[n] = keys[i];
                values[n] = values[i];
                lastTimes[n] = lastTimes[i];
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// The kept pairs as compressed rows. Keys were sorted by original (user, item) index; renumbering keeps that order
    /// because Filter is monotone.
    /// </summary>
    public static (int[] RowStart, int[] Columns, double[] Values, long[] Times) Rows(
        long[] keys, double[] values, long[] lastTimes, int n, int[] itemMap, int[] userMap, int userCount)
    {
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
        }

        for (var u = 0; u < userCount; u++)
        {
            rowStart[u + 1] += rowStart[u];
        }

        return (rowStart, [.. columns], [.. kept], [.. keptTimes]);
    }
}
