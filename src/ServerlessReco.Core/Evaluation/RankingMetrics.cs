namespace ServerlessReco.Core.Evaluation;

/// <summary>
/// Top-k ranking metrics as Microsoft Recommenders' python_evaluation computes them: every held-out item is
/// relevant (binary), nDCG uses log2 discounts, MAP divides the sum of precisions at hits by the number of
/// relevant items, and averages run over users that have both held-out items and recommendations.
/// </summary>
public static class RankingMetrics
{
    /// <summary>Hits in the first k, divided by k (not by the list's length, as Recommenders does).</summary>
    public static double Precision<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k) =>
        (double)Hits(ranked, relevant, k) / k;

    public static double Recall<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)Hits(ranked, relevant, k) / relevant.Count;

    /// <summary>Binary-gain nDCG with 1/log2(rank+1) discounts; the ideal list holds min(|relevant|, k) hits.</summary>
    public static double Ndcg<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k) => Ndcg(ranked, relevant, relevant.Count, k);

    /// <summary>
    /// The same, with <paramref name="relevantCount"/> relevant items of which only <paramref name="relevant"/> could be
    /// ranked (the others were never candidates): they are misses, and the ideal list holds min(relevantCount, k) hits.
    /// </summary>
    public static double Ndcg<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int relevantCount, int k)
    {
        double dcg = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }

        double ideal = 0;
        var m = Math.Min(k, relevantCount);
        for (var i = 0; i < m; i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>Sum of precision at each hit in the first k, divided by the number of relevant items.</summary>
    public static double AveragePrecision<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        double sum = 0;
        var hits = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }

        return sum / relevant.Count;
    }

    /// <summary>Averages the accuracy metrics over users with both recommendations and relevant items.</summary>
    public static AccuracyReport Evaluate<TUser, TItem>(
        IReadOnlyDictionary<TUser, IReadOnlyList<TItem>> recommendations,
        IReadOnlyDictionary<TUser, IReadOnlySet<TItem>> relevant,
        int k)
        where TUser : notnull
    {
        double map = 0, ndcg = 0, precision = 0, recall = 0;
        var users = 0;
        foreach (var (user, ranked) in recommendations)
        {
            if (ranked.Count == 0 || !relevant.TryGetValue(user, out var truth) || truth.Count == 0)
            {
                continue;
            }

            users++;
            map += AveragePrecision(ranked, truth, k);
            ndcg += Ndcg(ranked, truth, k);
            precision += Precision(ranked, truth, k);
            recall += Recall(ranked, truth, k);
        }

        return users == 0
            ? new AccuracyReport(k, 0, 0, 0, 0, 0)
            : new AccuracyReport(k, users, map / users, ndcg / users, precision / users, recall / users);
    }

    private static int Hits<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k)
    {
        var hits = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                hits++;
            }
        }

        return hits;
    }
}

/// <summary>Mean accuracy at k over <see cref="Users"/> users.</summary>
public sealed record AccuracyReport(int K, int Users, double Map, double Ndcg, double Precision, double Recall);
