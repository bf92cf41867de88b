using System.Globalization;
using ServerlessReco.Core.Events;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>One fold of leave-last-out: the events to train on and each user's one held-out item and its time.</summary>
public sealed record NextItemFold(IReadOnlyList<RatingRow> Train, IReadOnlyDictionary<string, IReadOnlySet<string>> HeldOut, IReadOnlyDictionary<string, long> HeldOutTimes)
{
    /// <summary>
    /// The training rows as behaviour events in history order, each rating one interaction of weight 1 (a view): the
    /// usual next-item protocol treats every rating as "watched", whatever its value. Their order breaks ties at the
    /// same second, as the store's order does in production.
    /// </summary>
    public IAsyncEnumerable<BehaviorEvent> Events(CancellationToken cancellationToken = default) =>
        MovieLens.AsEvents(Train, cancellationToken).Select(e => e with { Type = EventType.View, Value = null });
}

/// <summary>
/// Leave-last-out on a ratings file: each user's ratings in history order (by timestamp; ratings at the same second in
/// their order in the file, the later line being the newer; 415 of MovieLens-100k's 943 users have their last two at
/// one second), the last held out for the test, the second-to-last for validation (trained on all but the last two),
/// so settings are chosen without ever seeing a test item.
/// </summary>
public sealed record NextItemSplit(NextItemFold Validation, NextItemFold Test)
{
    public static NextItemSplit Create(IReadOnlyList<RatingRow> rows, int? shuffleSeed = null)
    {
        var histories = History(rows);
        if (shuffleSeed is { } seed)
        {
            histories = Shuffled(histories, seed);
        }

        return new NextItemSplit(Fold(histories, 2), Fold(histories, 1));
    }

    /// <summary>Each user's rows in history order: timestamp, then place in the file.</summary>
    public static Dictionary<int, List<RatingRow>> History(IReadOnlyList<RatingRow> rows) =>
        rows.Select((row, line) => (row, line))
            .GroupBy(p => p.row.User)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.row.Timestamp).ThenBy(p => p.line).Select(p => p.row).ToList());

    /// <summary>
    /// The order control: each user's items before the last are put in a random order (seeded), keeping the times in
    /// place, so co-occurrence is unchanged but what followed what is not. The last item stays last.
    /// </summary>
    private static Dictionary<int, List<RatingRow>> Shuffled(Dictionary<int, List<RatingRow>> histories, int seed)
    {
        var random = new Random(seed);
        var result = new Dictionary<int, List<RatingRow>>();
        foreach (var (user, history) in histories.OrderBy(p => p.Key))
        {
            var before = history[..^1].ToArray();
            var items = before.Select(r => (r.Item, r.Rating)).ToArray();
            random.Shuffle(items);
            var shuffled = before.Select((r, i) => r with { Item = items[i].Item, Rating = items[i].Rating }).ToList();
            shuffled.Add(history[^1]);
            result[user] = shuffled;
        }

        return result;
    }

    /// <summary>All but the last <paramref name="drop"/> items of each user to train on; the first dropped held out.</summary>
    private static NextItemFold Fold(Dictionary<int, List<RatingRow>> histories, int drop)
    {
        var train = new List<RatingRow>();
        var heldOut = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var times = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (user, history) in histories.OrderBy(p => p.Key))
        {
            if (history.Count <= drop)
            {
                continue;
            }

            var keep = history.Count - drop;
            train.AddRange(history.Take(keep));
            var target = history[keep];
            var id = user.ToString(CultureInfo.InvariantCulture);
            heldOut[id] = new HashSet<string>(StringComparer.Ordinal) { target.Item.ToString(CultureInfo.InvariantCulture) };
            times[id] = target.Timestamp;
        }

        return new NextItemFold(train, heldOut, times);
    }
}
