using System.Runtime.InteropServices;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// Turns behaviour events, from any store, into an <see cref="InteractionMatrix"/>: weights per event type,
/// time decay from "now", duplicate events (same event id) counted once, repeated (user, item) events
/// summed, and items/users with too little data left out as <see cref="TrainingOptions"/> says.
/// </summary>
public sealed class InteractionMatrixBuilder(TrainingOptions options)
{
    private readonly IdIndex _users = new();
    private readonly IdIndex _items = new();
    private readonly HashSet<ulong> _seenEventIds = [];
    private readonly List<long> _keys = [];
    private readonly List<double> _weights = [];
    private readonly List<long> _times = [];
    private readonly List<long> _itemFirstSeen = [];
    private long _read;
    private long _duplicates;
    private long _ignored;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;

    public TrainingOptions Options { get; } = options;

    /// <summary>Reads every event of <paramref name="events"/> and builds the matrix.</summary>
    public static async Task<InteractionMatrix> BuildAsync(
        IAsyncEnumerable<BehaviorEvent> events,
        TrainingOptions options,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var builder = new InteractionMatrixBuilder(options);
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            builder.Add(e);
            if (progress is not null && builder._read % 1_000_000 == 0)
            {
                progress.Report($"read {builder._read:N0} events");
            }
        }

        return builder.Build();
    }

    public void Add(BehaviorEvent e)
    {
        _read++;
        if (!_seenEventIds.Add(Hash(e.UserId, e.EventId)))
        {
            _duplicates++;
            return;
        }

        var weight = Options.Weights.WeightOf(e.Type, e.Value);
        if (weight == 0 || !double.IsFinite(weight))
        {
            _ignored++;
            return;
        }

        Add(e.UserId, e.ItemId, weight, e.Timestamp.ToUnixTimeSeconds());
    }

    /// <summary>Adds one already-weighted interaction (no duplicate check): the fast path for bulk sources.</summary>
    public void Add(string userId, string itemId, double weight, long unixSeconds)
    {
        var user = _users.GetOrAdd(userId);
        var item = _items.GetOrAdd(itemId);
        if (item == _itemFirstSeen.Count)
        {
            _itemFirstSeen.Add(unixSeconds);
        }
        else if (unixSeconds < _itemFirstSeen[item])
        {
            _itemFirstSeen[item] = unixSeconds;
        }

        _keys.Add(((long)user << 32) | (uint)item);
        _weights.Add(weight);
        _times.Add(unixSeconds);
        _min = Math.Min(_min, unixSeconds);
        _max = Math.Max(_max, unixSeconds);
    }

    /// <summary>Assembles the matrix. Call once: the builder releases its buffers while building.</summary>
    public InteractionMatrix Build()
    {
        var now = Options.Now?.ToUnixTimeSeconds() ?? (_max == long.MinValue ? 0 : _max);
        var totals = TimeTotals();
        var (keys, values, lastTimes, arrivals) = SortedDecayedInteractions(now);
        var rawCount = _keys.Count;
        ReleaseBuffers();
        var n = PairRows.SumRepeatedPairs(keys, values, lastTimes, arrivals);
        var (items, itemMap, users, userMap) = KeptItemsAndUsers(keys, n);
        var (rowStart, columns, kept, keptTimes, ranks) = PairRows.Rows(keys, values, lastTimes, arrivals, n, itemMap, userMap, users.Count);
        HistoryOrder.Weigh(Options, ranks, kept);
        var activity = Activity(totals, itemMap, items.Count, userMap, users.Count);
        var summary = new TrainingDataSummary
        {
            EventsRead = _read == 0 ? rawCount : _read,
            DuplicateEvents = _duplicates,
            IgnoredEvents = _ignored,
            Interactions = columns.Length,
            DroppedItems = _items.Count - items.Count,
            DroppedUsers = _users.Count - users.Count,
            From = _min == long.MaxValue ? null : DateTimeOffset.FromUnixTimeSeconds(_min),
            To = _max == long.MinValue ? null : DateTimeOffset.FromUnixTimeSeconds(_max),
            DecayNow = Options.HalfLife is null ? null : DateTimeOffset.FromUnixTimeSeconds(now),
        };
        return new InteractionMatrix(users, items, rowStart, columns, kept, keptTimes, activity, summary) { Ranks = ranks, Options = Options };
    }

    /// <summary>
    /// Every event's decayed weight, sorted by (user, item) through a permutation so values, times and arrival numbers
    /// (the event's place in the stream read) follow their keys.
    /// </summary>
    private (long[] Keys, double[] Values, long[] Times, long[] Arrivals) SortedDecayedInteractions(long now)
    {
        var keys = CollectionsMarshal.AsSpan(_keys).ToArray();
        var values = new double[keys.Length];
        var weights = CollectionsMarshal.AsSpan(_weights);
        var times = CollectionsMarshal.AsSpan(_times);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = weights[i] * Options.Decay(times[i], now);
        }

        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var sortedValues = new double[keys.Length];
        var lastTimes = new long[keys.Length];
        var arrivals = new long[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sortedValues[i] = values[order[i]];
            lastTimes[i] = times[order[i]];
            arrivals[i] = order[i];
        }

        return (keys, sortedValues, lastTimes, arrivals);
    }

    /// <summary>
    /// The raw event lists and the duplicate filter are no longer needed: give their memory back before the matrix is
    /// assembled, so the peak stays near one copy of the interactions.
    /// </summary>
    private void ReleaseBuffers()
    {
        _seenEventIds.Clear();
        _seenEventIds.TrimExcess();
        _weights.Clear();
        _weights.TrimExcess();
        _times.Clear();
        _times.TrimExcess();
        _keys.Clear();
        _keys.TrimExcess();
    }

    /// <summary>Cold items leave first, then users left with too few items; each map gives the new index or −1.</summary>
    private (IdIndex Items, int[] ItemMap, IdIndex Users, int[] UserMap) KeptItemsAndUsers(long[] keys, int n)
    {
        var itemUsers = new int[_items.Count];
        for (var i = 0; i < n; i++)
        {
            itemUsers[(int)(keys[i] & 0xffffffff)]++;
        }

        var (items, itemMap) = _items.Filter(i => itemUsers[i] >= Options.MinUsersPerItem);
        var userItems = new int[_users.Count];
        for (var i = 0; i < n; i++)
        {
            if (itemMap[(int)(keys[i] & 0xffffffff)] >= 0)
            {
                userItems[(int)(keys[i] >> 32)]++;
            }
        }

        var (users, userMap) = _users.Filter(u => userItems[u] >= Math.Max(1, Options.MinItemsPerUser));
        return (items, itemMap, users, userMap);
    }

    /// <summary>When each kept item was first seen and each kept user last, with their mean event times.</summary>
    private TimeStats Activity(
        (long[] UserLast, double[] UserTimeSum, int[] UserEvents, double[] ItemTimeSum, int[] ItemEvents) totals,
        int[] itemMap, int itemCount, int[] userMap, int userCount)
    {
        var firstSeen = new long[itemCount];
        var itemMean = new double[itemCount];
        for (var i = 0; i < itemMap.Length; i++)
        {
            if (itemMap[i] >= 0)
            {
                firstSeen[itemMap[i]] = _itemFirstSeen[i];
                itemMean[itemMap[i]] = totals.ItemTimeSum[i] / totals.ItemEvents[i];
            }
        }

        var lastSeen = new long[userCount];
        var userMean = new double[userCount];
        for (var u = 0; u < userMap.Length; u++)
        {
            if (userMap[u] >= 0)
            {
                lastSeen[userMap[u]] = totals.UserLast[u];
                userMean[userMap[u]] = totals.UserTimeSum[u] / totals.UserEvents[u];
            }
        }

        return new TimeStats(firstSeen, itemMean, lastSeen, userMean);
    }

    private (long[] UserLast, double[] UserTimeSum, int[] UserEvents, double[] ItemTimeSum, int[] ItemEvents) TimeTotals()
    {
        var userLast = new long[_users.Count];
        Array.Fill(userLast, long.MinValue);
        var userSum = new double[_users.Count];
        var userCount = new int[_users.Count];
        var itemSum = new double[_items.Count];
        var itemCount = new int[_items.Count];
        var keys = CollectionsMarshal.AsSpan(_keys);
        var times = CollectionsMarshal.AsSpan(_times);
        for (var i = 0; i < keys.Length; i++)
        {
            var user = (int)(keys[i] >> 32);
            var item = (int)(keys[i] & 0xffffffff);
            userLast[user] = Math.Max(userLast[user], times[i]);
            userSum[user] += times[i];
            userCount[user]++;
            itemSum[item] += times[i];
            itemCount[item]++;
        }

        return (userLast, userSum, userCount, itemSum, itemCount);
    }

    private static ulong Hash(string user, string eventId)
    {
        // FNV-1a 64 over both strings: 8 bytes per event instead of the id strings themselves.
        var hash = 14695981039346656037UL;
        foreach (var c in user)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ 0xffff) * 1099511628211UL;
        foreach (var c in eventId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
