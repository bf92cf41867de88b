using System.Collections.Concurrent;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>
/// Per-user nDCG@10 of one model on one fold: every user of the fold counts (an item the model cannot rank is a miss),
/// so means, standard errors and paired differences are over the same users.
/// </summary>
public sealed record NextItemScores(IReadOnlyDictionary<string, double> ByUser)
{
    public const int K = 10;

    public double Ndcg => ByUser.Count == 0 ? 0 : ByUser.Values.Average();

    /// <summary>The share of users whose held-out item is in the top 10.</summary>
    public double HitRate => ByUser.Count == 0 ? 0 : ByUser.Values.Count(v => v > 0) / (double)ByUser.Count;

    public double StandardError => StandardErrorOf(ByUser.Values.ToList());

    /// <summary>
    /// The model's lists scored through the one top-k path (<see cref="UserScores"/>: the user's training row with its
    /// affinities in, the row's items ruled out, every other item of the model ranked).
    /// </summary>
    public static NextItemScores Of(IItemScorer model, InteractionMatrix train, NextItemFold fold)
    {
        var lists = new ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Parallel.ForEach(fold.HeldOut.Keys, user =>
        {
            if (!train.Users.TryGetIndex(user, out var u))
            {
                return;
            }

            var items = train.RowItems(u);
            using var scores = UserScores.For(model, items, train.RowValues(u));
            scores.Exclude(items.ToArray());
            lists[user] = scores.Top(K).Select(i => train.Items[i]).ToList();
        });
        return OfLists(lists, fold);
    }

    /// <summary>Scores lists given by user id against the fold's held-out items.</summary>
    public static NextItemScores OfLists(IReadOnlyDictionary<string, IReadOnlyList<string>> lists, NextItemFold fold)
    {
        var byUser = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (user, truth) in fold.HeldOut)
        {
            byUser[user] = lists.TryGetValue(user, out var list) ? RankingMetrics.Ndcg(list, truth, K) : 0;
        }

        return new NextItemScores(byUser);
    }

    /// <summary>This model minus <paramref name="other"/>, user by user: mean difference, its standard error, wins and losses.</summary>
    public PairedDifference Against(NextItemScores other)
    {
        var differences = ByUser.Select(p => p.Value - other.ByUser.GetValueOrDefault(p.Key)).ToList();
        return new PairedDifference(
            differences.Count == 0 ? 0 : differences.Average(),
            StandardErrorOf(differences),
            differences.Count(d => d > 0),
            differences.Count(d => d < 0));
    }

    private static double StandardErrorOf(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return Math.Sqrt(variance / values.Count);
    }
}

/// <summary>A paired per-user comparison: mean difference of nDCG@10 with its standard error, users better and worse.</summary>
public sealed record PairedDifference(double Mean, double StandardError, int Better, int Worse)
{
    /// <summary>How many standard errors the difference is from zero.</summary>
    public double Z => StandardError == 0 ? 0 : Mean / StandardError;
}
