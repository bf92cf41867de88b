namespace ServerlessReco.Core.Sessions;

/// <summary>
/// Settings of <see cref="SessionNeighbors"/>. The defaults are the best of a small grid (idf weight 0, 1, 2; k 50, 100,
/// 200; sample 500, 1000) on YooChoose's train_tr → train_valid split, which <c>reco benchmark --models sessions</c> runs
/// again and prints (docs/benchmarks.md); its test was never used to choose them.
/// </summary>
public sealed record SessionNeighborOptions
{
    /// <summary>How many of the most similar sampled sessions vote (k).</summary>
    public int Neighbors { get; init; } = 200;

    /// <summary>Of the sessions sharing an item with the current one, only this many of the most recent are compared.</summary>
    public int Sample { get; init; } = 1000;

    /// <summary>A neighbour's vote for an item is lifted by idf(item) × this: rare items say more than the head does.</summary>
    public double IdfWeight { get; init; } = 1;

    /// <summary>The model keeps the newest this many training histories as neighbour sessions (bounds the attachment).</summary>
    public int MaxSessions { get; init; } = 200_000;

    public void Validate()
    {
        if (Neighbors < 1 || Sample < 1 || MaxSessions < 1 || IdfWeight < 0 || !double.IsFinite(IdfWeight))
        {
            throw new ArgumentException("Session neighbours: Neighbors, Sample and MaxSessions must be at least 1, IdfWeight not negative.");
        }
    }
}

/// <summary>
/// Session k-nearest neighbours as V-SKNN (Ludewig and Jannach, 2018): the current session's items weigh by position
/// (the item at place p of L counts p / L, so the last click counts most); of the training sessions sharing an item with
/// it, the <see cref="SessionNeighborOptions.Sample"/> most recent are compared, each by the summed weights of the items
/// it shares; the <see cref="SessionNeighborOptions.Neighbors"/> most similar vote for all their items with their
/// similarity, divided by how many clicks back the newest shared item lies (1 when the neighbour holds the last click)
/// and lifted by the item's idf. Items of the current session are scored too: what the neighbours came back to is
/// what a shopper often comes back to.
/// </summary>
public static class SessionNeighbors
{
    /// <summary>
    /// Adds every item's vote to <paramref name="scores"/> (length <see cref="SessionIndex.ItemCount"/>) for the
    /// <paramref name="session"/> (item indexes, oldest first, repeats allowed); returns how many neighbours voted.
    /// </summary>
    public static int Score(SessionIndex index, ReadOnlySpan<int> session, SessionNeighborOptions options, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (session.Length == 0)
        {
            return 0;
        }

        // Each distinct item's weight and newest place in the session (a repeat counts at its newest place).
        var length = session.Length;
        var places = new Dictionary<int, int>();
        for (var p = 0; p < length; p++)
        {
            places[session[p]] = p;
        }

        // The sample: a session among the m most recent sharing any item is among the m most recent of that item's list.
        var candidates = new Dictionary<int, (double Similarity, int Newest)>();
        foreach (var (item, place) in places)
        {
            var weight = (place + 1.0) / length;
            var holders = index.SessionsOf(item);
            var take = Math.Min(holders.Length, options.Sample);
            for (var h = 0; h < take; h++)
            {
                var s = holders[h];
                var (similarity, newest) = candidates.GetValueOrDefault(s, (0, -1));
                candidates[s] = (similarity + weight, Math.Max(newest, place));
            }
        }

        if (candidates.Count == 0)
        {
            return 0;
        }

        var sampled = candidates.Count <= options.Sample
            ? candidates.Keys.ToArray()
            : candidates.Keys.Order().Take(options.Sample).ToArray();
        var neighbors = sampled
            .OrderByDescending(s => candidates[s].Similarity).ThenBy(s => s)
            .Take(options.Neighbors).ToArray();
        var sessions = index.SessionCount;
        foreach (var s in neighbors)
        {
            var (similarity, newest) = candidates[s];
            var vote = similarity / (length - newest);
            foreach (var item in index.ItemsOf(s))
            {
                var idf = options.IdfWeight > 0 ? Math.Log((double)sessions / Math.Max(1, index.SessionsOf(item).Length)) : 0;
                scores[item] += vote * (1 + (options.IdfWeight * idf));
            }
        }

        return neighbors.Length;
    }
}
