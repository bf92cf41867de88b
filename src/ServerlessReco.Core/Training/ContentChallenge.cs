using ServerlessReco.Core.Content;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Content as a challenger: the hold-out lists of the chosen model kind (fitted on the training part) scored without
/// content and with it, paired per user on nDCG@K, and content kept only when it is not worse beyond noise, by the
/// gate's own rule (<see cref="RetrainGate.Compare"/>: the upper end of with − without, at
/// <see cref="RetrainOptions.StandardErrors"/> standard errors, reaches −tolerance × the without figure).
/// </summary>
/// <remarks>
/// With content, a list alternates the model's best and the best items only content can score, the model first, up to
/// <see cref="ContentSlots"/> content items (items the training part does not know or knows for fewer than
/// <see cref="ColdBelowUsers"/> users, ranked by the cosine of their vector to the user's training items; only positive
/// cosines), the model's next best filling the rest. Serving offers a list as many content items (its explore pool) and
/// mixes them among the model's best; a fixed alternation measures whether they find what the user took next or push
/// the model's hits down. REVIEW: a proxy of the serving blend (exploration decides which pool items a served list
/// shows and where), not the whole serving path.
/// </remarks>
internal static class ContentChallenge
{
    /// <summary>How many of a hold-out list's slots content may take: the size of the content pool serving offers a list.</summary>
    public const int ContentSlots = 5;

    /// <summary>As serving's <c>ContentScores.MaxKnownUsers</c>: an item with fewer training users is scored by content too.</summary>
    public const int ColdBelowUsers = 3;

    public static ContentDecision Decide(HoldOut holdOut, ModelKind kind, ContentEmbeddings vectors, ContentBuild built, RetrainOptions options, CancellationToken cancellationToken)
    {
        var train = holdOut.Train;
        var model = Trainer.Train(train, options.Trainer with { Model = kind }, cancellationToken: cancellationToken).Model;
        var result = OfflineEvaluation.Evaluate(model, train, holdOut.HeldOut, options.K);
        var cold = Enumerable.Range(0, vectors.Items.Count)
            .Where(v => !train.Items.TryGetIndex(vectors.Items[v], out var i) || train.ItemUserCounts[i] < ColdBelowUsers).ToArray();
        var without = new Dictionary<string, double>(holdOut.HeldOut.Count, StringComparer.Ordinal);
        var with = new Dictionary<string, double>(holdOut.HeldOut.Count, StringComparer.Ordinal);
        var slots = Math.Min(ContentSlots, options.K);
        foreach (var (user, truth) in holdOut.HeldOut)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ranked = result.Recommendations.TryGetValue(user, out var r) ? r : [];
            without[user] = truth.Count == 0 ? 0 : RankingMetrics.Ndcg(ranked, truth, options.K);
            var list = WithContent(ranked, ContentFor(train, user, vectors, cold, slots), options.K);
            with[user] = truth.Count == 0 ? 0 : RankingMetrics.Ndcg(list, truth, options.K);
        }

        var withScored = new ScoredModel(Summary(with, options.K), with);
        var withoutScored = new ScoredModel(Summary(without, options.K), without);
        var comparison = RetrainGate.Compare(withScored, withoutScored, options.Tolerance, options.StandardErrors);
        var reason = comparison.NotWorse
            ? $"{RetrainReasons.ContentUsed(built.Items, built.Pending)}; on the hold-out nDCG@{options.K} {withScored.Scores.Ndcg:F4} with content, {withoutScored.Scores.Ndcg:F4} without ({RetrainReasons.Interval(comparison, options.StandardErrors)})"
            : $"content lowered nDCG@{options.K} on the hold-out: {comparison.Difference:+0.0000;-0.0000;0.0000} ± {options.StandardErrors * comparison.StandardError:F4} ({withScored.Scores.Ndcg:F4} with content, {withoutScored.Scores.Ndcg:F4} without, {options.StandardErrors:0.##} s.e., {comparison.Users:N0} users)";
        return new ContentDecision(comparison.NotWorse, reason)
        {
            NdcgWithContent = withScored.Scores.Ndcg,
            NdcgWithoutContent = withoutScored.Scores.Ndcg,
            Comparison = comparison,
        };
    }

    /// <summary>The model's best and the content items in turn (model first), then the model's next best to fill K; no item twice.</summary>
    private static List<string> WithContent(IReadOnlyList<string> ranked, List<string> content, int k)
    {
        var list = new List<string>(k);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var (m, c) = (0, 0);
        while (list.Count < k && (m < ranked.Count || c < content.Count))
        {
            var fromContent = c < content.Count && (list.Count % 2 == 1 || m >= ranked.Count);
            var id = fromContent ? content[c++] : ranked[m++];
            if (taken.Add(id))
            {
                list.Add(id);
            }
        }

        return list;
    }

    /// <summary>The user's best <paramref name="count"/> cold items by cosine to the profile of their training items (positive cosines, not already theirs).</summary>
    private static List<string> ContentFor(InteractionMatrix train, string user, ContentEmbeddings vectors, int[] cold, int count)
    {
        if (cold.Length == 0 || !train.Users.TryGetIndex(user, out var u))
        {
            return [];
        }

        var items = train.RowItems(u).ToArray();
        var values = train.RowValues(u).ToArray();
        var history = new List<(int Item, double Weight)>(items.Length);
        var own = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            var id = train.Items[items[i]];
            own.Add(id);
            if (vectors.Items.TryGetIndex(id, out var v))
            {
                history.Add((v, values[i]));
            }
        }

        if (ContentProfile.Of(vectors, history) is not { } profile)
        {
            return [];
        }

        return cold.Where(c => !own.Contains(vectors.Items[c]))
            .Select(c => (Item: c, Score: vectors.Dot(c, profile)))
            .Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score).ThenBy(p => p.Item).Take(count)
            .Select(p => vectors.Items[p.Item]).ToList();
    }

    private static ModelScores Summary(Dictionary<string, double> perUser, int k) =>
        new(k, perUser.Count, perUser.Count == 0 ? 0 : perUser.Values.Average(), 0, 0, 0, 0);
}
