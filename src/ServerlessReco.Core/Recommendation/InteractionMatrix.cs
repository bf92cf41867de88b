namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// The training input of every model: users × items affinities in compressed sparse rows (one row per user,
/// columns ascending), plus what is known about each item. Memory grows with the number of distinct
/// (user, item) pairs.
/// </summary>
public sealed class InteractionMatrix
{
    internal InteractionMatrix(IdIndex users, IdIndex items, int[] rowStart, int[] columns, double[] values, long[] lastTimes, TimeStats times, TrainingDataSummary summary)
    {
        Users = users;
        Items = items;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
        LastTimes = lastTimes;
        Times = times;
        Summary = summary;
        ItemUserCounts = new int[items.Count];
        foreach (var c in columns)
        {
            ItemUserCounts[c]++;
        }
    }

    public IdIndex Users { get; }
    public IdIndex Items { get; }
    public int UserCount => Users.Count;
    public int ItemCount => Items.Count;
    public int NonZeros => Columns.Length;

    /// <summary>Row u spans [RowStart[u], RowStart[u + 1]) of <see cref="Columns"/> and <see cref="Values"/>.</summary>
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }

    /// <summary>Unix seconds of the latest event of each (user, item) pair, aligned with <see cref="Columns"/>.</summary>
    public long[] LastTimes { get; }

    /// <summary>Distinct users per item (popularity).</summary>
    public int[] ItemUserCounts { get; }

    /// <summary>When items and users were active (Unix seconds): features for re-rankers.</summary>
    public TimeStats Times { get; }

    public TrainingDataSummary Summary { get; }

    /// <summary>
    /// Each pair's place back from its user's newest item (0: the newest; <see cref="HistoryOrder"/>), aligned with
    /// <see cref="Columns"/>: the order sequence models learn from.
    /// </summary>
    public int[] Ranks { get; internal init; } = [];

    /// <summary>The settings that built the matrix (its affinities are weighted by their history half-life).</summary>
    public TrainingOptions Options { get; internal init; } = new();

    public ReadOnlySpan<int> RowRanks(int user) => Ranks.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    public ReadOnlySpan<int> RowItems(int user) => Columns.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    public ReadOnlySpan<double> RowValues(int user) => Values.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    public ReadOnlySpan<long> RowTimes(int user) => LastTimes.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    /// <summary>
    /// A temporal hold-out: for every user with at least <paramref name="minItems"/> items, the latest
    /// <paramref name="fraction"/> of their items (by last interaction) leave the matrix and become that user's
    /// held-out set. For champion/challenger evaluation and for training re-rankers without touching test data.
    /// Same user and item numbering as this matrix; activity times are recomputed from what remains.
    /// </summary>
    public (InteractionMatrix Train, Dictionary<string, IReadOnlySet<string>> HeldOut) HoldOutLatest(double fraction = 0.2, int minItems = 5)
    {
        var heldOut = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var rowStart = new int[UserCount + 1];
        var columns = new List<int>(NonZeros);
        var values = new List<double>(NonZeros);
        var times = new List<long>(NonZeros);
        var ranks = new List<int>(NonZeros);
        for (var u = 0; u < UserCount; u++)
        {
            var start = RowStart[u];
            var n = RowStart[u + 1] - start;
            var hold = n >= minItems ? (int)Math.Floor(fraction * n) : 0;
            var removed = new HashSet<int>();
            if (hold > 0)
            {
                // Latest first; ties by item index so the split is deterministic.
                var order = Enumerable.Range(start, n).OrderByDescending(p => LastTimes[p]).ThenBy(p => Columns[p]).Take(hold);
                removed.UnionWith(order);
                heldOut[Users[u]] = removed.Select(p => Items[Columns[p]]).ToHashSet(StringComparer.Ordinal);
            }

            KeepRow(start, n, removed, columns, values, times, ranks);
            rowStart[u + 1] = columns.Count;
        }

        var summary = Summary with { Interactions = columns.Count };
        var train = new InteractionMatrix(Users, Items, rowStart, [.. columns], [.. values], [.. times], ActivityOf(rowStart, columns, times), summary)
        {
            Ranks = [.. ranks],
            Options = Options,
        };
        return (train, heldOut);
    }

    /// <summary>
    /// The pairs of one row that stay, placed back from the newest that stays and re-weighed for their new places, as
    /// serving would weigh the same history.
    /// </summary>
    private void KeepRow(int start, int n, HashSet<int> removed, List<int> columns, List<double> values, List<long> times, List<int> ranks)
    {
        var kept = Enumerable.Range(start, n).Where(p => !removed.Contains(p)).ToList();
        var newRank = new Dictionary<int, int>();
        foreach (var p in kept.OrderBy(p => Ranks.Length == 0 ? 0 : Ranks[p]))
        {
            newRank[p] = newRank.Count;
        }

        foreach (var p in kept)
        {
            var oldRank = Ranks.Length == 0 ? 0 : Ranks[p];
            columns.Add(Columns[p]);
            values.Add(Values[p] * Options.PositionWeight(newRank[p]) / Options.PositionWeight(oldRank));
            times.Add(LastTimes[p]);
            ranks.Add(newRank[p]);
        }
    }

    /// <summary>Activity times recomputed from the rows that remain after a hold-out.</summary>
    private TimeStats ActivityOf(int[] rowStart, List<int> columns, List<long> times)
    {
        var firstSeen = new long[ItemCount];
        Array.Fill(firstSeen, long.MaxValue);
        var itemSum = new double[ItemCount];
        var itemCount = new int[ItemCount];
        var userLast = new long[UserCount];
        var userMean = new double[UserCount];
        for (var u = 0; u < UserCount; u++)
        {
            double sum = 0;
            for (var p = rowStart[u]; p < rowStart[u + 1]; p++)
            {
                var item = columns[p];
                firstSeen[item] = Math.Min(firstSeen[item], times[p]);
                itemSum[item] += times[p];
                itemCount[item]++;
                userLast[u] = Math.Max(userLast[u], times[p]);
                sum += times[p];
            }

            var count = rowStart[u + 1] - rowStart[u];
            userMean[u] = count == 0 ? 0 : sum / count;
        }

        var itemMean = new double[ItemCount];
        for (var i = 0; i < ItemCount; i++)
        {
            itemMean[i] = itemCount[i] == 0 ? 0 : itemSum[i] / itemCount[i];
            if (firstSeen[i] == long.MaxValue)
            {
                firstSeen[i] = 0;
            }
        }

        return new TimeStats(firstSeen, itemMean, userLast, userMean);
    }

    /// <summary>The transpose: for each item, the users who interacted with it (ascending), their affinities and times.</summary>
    public (int[] ColStart, int[] Rows, double[] Values, long[] Times) Transpose()
    {
        var colStart = new int[ItemCount + 1];
        foreach (var c in Columns)
        {
            colStart[c + 1]++;
        }

        for (var i = 0; i < ItemCount; i++)
        {
            colStart[i + 1] += colStart[i];
        }

        var next = colStart[..^1];
        var rows = new int[Columns.Length];
        var values = new double[Columns.Length];
        var times = new long[Columns.Length];
        for (var u = 0; u < UserCount; u++)
        {
            for (var p = RowStart[u]; p < RowStart[u + 1]; p++)
            {
                var slot = next[Columns[p]]++;
                rows[slot] = u;
                values[slot] = Values[p];
                times[slot] = LastTimes[p];
            }
        }

        return (colStart, rows, values, times);
    }
}

/// <summary>
/// When each item and user was active in the training window, in Unix seconds: an item's first event (a proxy
/// for its age) and mean event time; a user's last and mean event time.
/// </summary>
public sealed record TimeStats(long[] ItemFirstSeen, double[] ItemMeanSeen, long[] UserLastSeen, double[] UserMeanSeen);

/// <summary>What went into a training matrix: the data window and what was dropped, for the model artifact.</summary>
public sealed record TrainingDataSummary
{
    public long EventsRead { get; init; }
    public long DuplicateEvents { get; init; }
    public long IgnoredEvents { get; init; }
    public long Interactions { get; init; }
    public int DroppedItems { get; init; }
    public int DroppedUsers { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public DateTimeOffset? DecayNow { get; init; }
}
