using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Recommendation;

/// <summary>One recommended item: its id, score, and where it came from ("model" or "popular").</summary>
public readonly record struct ScoredItem(string ItemId, double Score, string Source);

/// <summary>A user's known items (ascending) and affinities, items to leave out, and activity times (Unix seconds).</summary>
public sealed record UserProfile(int[] Items, double[] Affinities, IReadOnlySet<int> Excluded, long LastSeen, double MeanSeen);

/// <summary>
/// The serving side of a trained model: recommendations for one user from their recent events (no need for
/// the user to have been in training: their events are folded in with the training weights and decay),
/// similar items, and popular items as the fallback. Immutable and thread-safe: load once, share.
/// </summary>
public sealed class Recommender
{
    private readonly int[] _popularOrder;

    public Recommender(ModelArtifact artifact)
    {
        Artifact = artifact;
        _popularOrder = Enumerable.Range(0, artifact.ItemPopularity.Length)
            .OrderByDescending(i => artifact.ItemPopularity[i]).ThenBy(i => i).ToArray();
    }

    public ModelArtifact Artifact { get; }

    private IItemScorer Model => Artifact.Model;

    /// <summary>
    /// Top <paramref name="count"/> items for a user given their recent events (oldest first: the order breaks ties at the same second). Items the user
    /// already interacted with or dismissed, and items <paramref name="isAllowed"/> rejects (unavailable,
    /// out of stock), are left out; when the model has too little to go on, popular items fill the list.
    /// </summary>
    public IReadOnlyList<ScoredItem> Recommend(IEnumerable<BehaviorEvent> recentEvents, int count, DateTimeOffset now, Func<string, bool>? isAllowed = null)
    {
        var (items, affinities, excluded) = Fold(recentEvents, now);
        if (items.Length == 0)
        {
            return Pick(null, excluded, count, isAllowed);
        }

        using var scores = UserScores.For(Model, items, affinities);
        return Pick(scores, excluded, count, isAllowed);
    }

    /// <summary>Items most like <paramref name="itemId"/>; popular items when the item is unknown to the model.</summary>
    public IReadOnlyList<ScoredItem> Similar(string itemId, int count, Func<string, bool>? isAllowed = null)
    {
        if (!Model.Items.TryGetIndex(itemId, out var index))
        {
            return Pick(null, [], count, isAllowed);
        }

        using var scores = UserScores.For(Model, [index], [1.0]);
        return Pick(scores, [index], count, isAllowed);
    }

    /// <summary>The most popular items of the training window.</summary>
    public IReadOnlyList<ScoredItem> Popular(int count, Func<string, bool>? isAllowed = null) => Pick(null, [], count, isAllowed);

    /// <summary>
    /// The user as the model sees them: known items with affinities (weighted and decayed as in training),
    /// the items to leave out (taken up or dismissed), and when they were active. For re-rankers.
    /// </summary>
    public UserProfile Profile(IEnumerable<BehaviorEvent> recentEvents, DateTimeOffset now)
    {
        var events = recentEvents as IReadOnlyCollection<BehaviorEvent> ?? recentEvents.ToList();
        var (items, affinities, excluded) = Fold(events, now);
        long last = 0;
        double sum = 0;
        var count = 0;
        foreach (var e in events)
        {
            if (Model.Items.TryGetIndex(e.ItemId, out _) && Artifact.Training.Weights.WeightOf(e.Type, e.Value) > 0)
            {
                var t = e.Timestamp.ToUnixTimeSeconds();
                last = Math.Max(last, t);
                sum += t;
                count++;
            }
        }

        return new UserProfile(items, affinities, excluded, last, count == 0 ? 0 : sum / count);
    }

    /// <summary>
    /// The user's known items (ascending) and affinities, weighted and decayed as in training: what
    /// <see cref="IItemScorer.Score"/> takes. For callers that apply their own exclusion rules (serving).
    /// </summary>
    public (int[] Items, double[] Affinities) Affinities(IEnumerable<BehaviorEvent> recentEvents, DateTimeOffset now)
    {
        var (items, affinities, _) = Fold(recentEvents, now);
        return (items, affinities);
    }

    /// <summary>The user's affinity per known item and what to leave out: <see cref="ShopperHistory"/> over the model's items, with the training settings.</summary>
    private (int[] Items, double[] Affinities, HashSet<int> Excluded) Fold(IEnumerable<BehaviorEvent> events, DateTimeOffset now)
    {
        var history = ShopperHistory.Fold(events, Model.Items, Artifact.Training, now);
        return (history.Items, history.Affinities, history.Excluded);
    }

    /// <summary>
    /// The model's best (when it has <paramref name="scores"/> for the user) that <paramref name="isAllowed"/> accepts,
    /// then popular items until the list is full; <paramref name="excluded"/> never.
    /// </summary>
    private List<ScoredItem> Pick(UserScores? scores, HashSet<int> excluded, int count, Func<string, bool>? isAllowed)
    {
        var result = new List<ScoredItem>(count);
        var taken = new HashSet<int>(excluded);
        if (scores is not null)
        {
            scores.Exclude(excluded);

            // One selection, generous enough that business rules can reject many; beyond that, popular items fill.
            foreach (var i in scores.Best(Math.Min(scores.Length, (count * 4) + 20)))
            {
                if (result.Count == count)
                {
                    break;
                }

                if (taken.Add(i) && (isAllowed?.Invoke(Model.Items[i]) ?? true))
                {
                    result.Add(new ScoredItem(Model.Items[i], scores.Values[i], "model"));
                }
            }
        }

        foreach (var i in _popularOrder)
        {
            if (result.Count == count)
            {
                break;
            }

            if (taken.Add(i) && (isAllowed?.Invoke(Model.Items[i]) ?? true))
            {
                result.Add(new ScoredItem(Model.Items[i], Artifact.ItemPopularity[i], "popular"));
            }
        }

        return result;
    }
}
