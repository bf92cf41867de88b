using System.Globalization;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>
/// The "what is popular right now" baseline: for each user, the items most rated by anyone in the
/// <c>days</c> before that user's held-out rating (all-time counts break ties), the user's own items left out. The
/// window is chosen on validation like every other setting.
/// </summary>
public static class RecentPopularity
{
    public static readonly double[] WindowDays = [1, 7, 30];

    /// <summary>Chooses the window on validation and scores it on the test, as <see cref="NextItemBenchmark.RunAsync"/> does.</summary>
    public static (double Days, double ValidationNdcg, NextItemScores Test) Run(NextItemSplit split)
    {
        var best = WindowDays.Select(d => (Days: d, Ndcg: Score(split.Validation, d).Ndcg)).MaxBy(p => p.Ndcg);
        return (best.Days, best.Ndcg, Score(split.Test, best.Days));
    }

    public static NextItemScores Score(NextItemFold fold, double days)
    {
        var byTime = fold.Train.OrderBy(r => r.Timestamp).ToArray();
        var times = byTime.Select(r => r.Timestamp).ToArray();
        var allTime = fold.Train.GroupBy(r => r.Item).ToDictionary(g => g.Key, g => g.Count());
        var seen = fold.Train.GroupBy(r => r.User).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Select(r => r.Item).ToHashSet());
        var window = (long)(days * 86400);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (user, time) in fold.HeldOutTimes)
        {
            var counts = new Dictionary<int, int>();
            for (var p = LowerBound(times, time - window); p < times.Length && times[p] <= time; p++)
            {
                counts[byTime[p].Item] = counts.GetValueOrDefault(byTime[p].Item) + 1;
            }

            var own = seen.GetValueOrDefault(user) ?? [];
            lists[user] = allTime.Keys
                .Where(i => !own.Contains(i))
                .OrderByDescending(i => counts.GetValueOrDefault(i)).ThenByDescending(i => allTime[i]).ThenBy(i => i)
                .Take(NextItemScores.K)
                .Select(i => i.ToString(CultureInfo.InvariantCulture))
                .ToList();
        }

        return NextItemScores.OfLists(lists, fold);
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }
}
