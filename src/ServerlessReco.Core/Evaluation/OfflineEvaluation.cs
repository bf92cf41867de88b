using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Evaluation;

/// <summary>
/// Scores a held-out set: top-k per test user from their training row with training items removed, then the
/// accuracy and beyond-accuracy metrics of the lists, and how long recommending took.
/// </summary>
public static class OfflineEvaluation
{
    /// <summary>The held-out items of each user, by id.</summary>
    public static Dictionary<string, IReadOnlySet<string>> GroupByUser(IEnumerable<(string User, string Item)> pairs)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var (user, item) in pairs)
        {
            if (!result.TryGetValue(user, out var set))
            {
                result[user] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            ((HashSet<string>)set).Add(item);
        }

        return result;
    }

    /// <summary>Top-k lists (item indices) for the given training users, computed in parallel.</summary>
    public static Dictionary<int, int[]> RecommendTrainingUsers(IItemScorer model, InteractionMatrix train, IEnumerable<int> users, int k)
    {
        var result = new ConcurrentDictionary<int, int[]>();
        ScoreInParallel(model, train, users, (user, scores) => result[user] = scores.Top(k));
        return new Dictionary<int, int[]>(result);
    }

    /// <summary>The k best items of each given training user with their scores, best first (candidates for re-ranking).</summary>
    public static Dictionary<int, (int[] Items, double[] Scores)> CandidatesOfTrainingUsers(IItemScorer model, InteractionMatrix train, IEnumerable<int> users, int k)
    {
        var result = new ConcurrentDictionary<int, (int[] Items, double[] Scores)>();
        ScoreInParallel(model, train, users, (user, scores) =>
        {
            var items = scores.Top(k);
            var values = new double[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                values[i] = scores.Values[items[i]];
            }

            result[user] = (items, values);
        });
        return new Dictionary<int, (int[] Items, double[] Scores)>(result);
    }

    /// <summary>
    /// Scores every item for each user as serving does (<see cref="UserScores"/>: the user's training row in, the
    /// items of the row ruled out) and hands the scores on.
    /// </summary>
    private static void ScoreInParallel(IItemScorer model, InteractionMatrix train, IEnumerable<int> users, Action<int, UserScores> take) =>
        Parallel.ForEach(users, user =>
        {
            var items = train.RowItems(user);
            using var scores = UserScores.For(model, items, train.RowValues(user));
            foreach (var seen in items)
            {
                scores.Exclude(seen);
            }

            take(user, scores);
        });

    public static EvaluationResult Evaluate(IItemScorer model, InteractionMatrix train, IReadOnlyDictionary<string, IReadOnlySet<string>> test, int k = 10)
    {
        var users = test.Keys.Select(id => train.Users.TryGetIndex(id, out var u) ? u : -1).Where(u => u >= 0).ToList();
        var clock = Stopwatch.StartNew();
        var lists = RecommendTrainingUsers(model, train, users, k);
        var seconds = clock.Elapsed.TotalSeconds;

        return Summarise(model.Name, train, lists, test, k, users.Count == 0 ? 0 : seconds * 1e6 / users.Count);
    }

    /// <summary>The metrics of top-k lists (item indices per training user index) against held-out items.</summary>
    public static EvaluationResult Summarise(string name, InteractionMatrix train, IReadOnlyDictionary<int, int[]> lists, IReadOnlyDictionary<string, IReadOnlySet<string>> test, int k, double microsecondsPerUser)
    {
        var byId = lists.ToDictionary(
            p => train.Users[p.Key],
            p => (IReadOnlyList<string>)p.Value.Select(i => train.Items[i]).ToList(),
            StringComparer.Ordinal);
        var accuracy = RankingMetrics.Evaluate(byId, test, k);
        var indexLists = lists.Values.Select(l => (IReadOnlyList<int>)l).ToList();
        var popularity = train.ItemUserCounts;
        var meanConsumed = (double)popularity.Sum(c => (long)c * c) / Math.Max(1, train.NonZeros);
        return new EvaluationResult(
            name,
            accuracy,
            BeyondAccuracyMetrics.CatalogCoverage(indexLists, train.ItemCount),
            BeyondAccuracyMetrics.Novelty(indexLists, i => popularity[i], train.UserCount),
            BeyondAccuracyMetrics.PopularityLift(indexLists, i => popularity[i], meanConsumed),
            microsecondsPerUser,
            byId);
    }
}

/// <summary>One model's offline figures.</summary>
public sealed record EvaluationResult(
    string Model,
    AccuracyReport Accuracy,
    double Coverage,
    double Novelty,
    double PopularityLift,
    double MicrosecondsPerUser,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Recommendations);
