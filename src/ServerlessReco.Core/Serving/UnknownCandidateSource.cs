namespace ServerlessReco.Core.Serving;

/// <summary>
/// The unknown pool of an exploring list (<see cref="UnknownItems.Shortlist"/>): catalogue items the model cannot score, each
/// scored by content (its match to the shopper's content profile plus its content prior; 0 without a vector). At most
/// a given number of them, never-shown items first, then by score: a rule of the serving state, the shopper and
/// this instance's counts alone, so the propensities of what the policy draws from it stay exact.
/// </summary>
internal static class UnknownCandidateSource
{
    public static List<(ServingCandidate Candidate, long Impressions, long Clicks)> Take(ListContext list, LiveExposure live, int size)
    {
        var state = list.State;
        var result = new List<(ServingCandidate, long, long)>();
        var unknown = state.Unknown.Shortlist;
        if (size <= 0 || unknown.Length == 0)
        {
            return result;
        }

        var content = state.Content;
        var profile = content?.ProfileOf(content.HistoryOf(list.Events, list.Now));
        var scored = new List<(int Index, double Score, long Impressions, long Clicks)>();
        for (var i = 0; i < unknown.Length; i++)
        {
            var item = unknown[i];
            if ((list.Category >= 0 && item.Category != list.Category) || list.Taken.Contains(item.ItemId))
            {
                continue;
            }

            var match = profile is not null && item.Cold >= 0 ? content!.ColdScore(item.Cold, profile) : 0;
            var feedback = state.Trending.Feedback.GetValueOrDefault(item.ItemId);
            scored.Add((i, match + item.Prior, feedback.Impressions + live.Of(state.Trending, item.ItemId), feedback.Clicks));
        }

        // Ties (items without a vector all score 0) keep the shortlist's order, which takes turns between snapshots.
        Comparison<(int Index, double Score, long Impressions, long Clicks)> order = static (a, b) =>
            (a.Impressions == 0) != (b.Impressions == 0) ? (a.Impressions == 0 ? -1 : 1)
            : a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index);
        scored = Best(scored, size, order);
        foreach (var (index, score, impressions, clicks) in scored)
        {
            var item = unknown[index];
            list.Taken.Add(item.ItemId);
            var reason = item.Cold >= 0 && profile is not null ? "matches what you like" : "something new to discover";
            var kind = item.Cold >= 0 && profile is not null ? ReasonKind.Content : ReasonKind.Discovery;
            result.Add((new ServingCandidate(state.ItemFor(item.ItemId, score, reason, kind), -1), impressions, clicks));
        }

        return result;
    }

    /// <summary>The first <paramref name="size"/> in <paramref name="order"/>, sorted: a bounded heap, not a sort of a whole large catalogue.</summary>
    private static List<T> Best<T>(List<T> all, int size, Comparison<T> order)
    {
        if (all.Count > size)
        {
            var worstFirst = Comparer<T>.Create((a, b) => order(b, a));
            var heap = new PriorityQueue<T, T>(size + 1, worstFirst);
            foreach (var x in all)
            {
                heap.Enqueue(x, x);
                if (heap.Count > size)
                {
                    heap.Dequeue();
                }
            }

            all = [.. heap.UnorderedItems.Select(e => e.Element)];
        }

        all.Sort(order);
        return all;
    }
}
