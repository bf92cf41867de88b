using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Ranking;

/// <summary>
/// Serving with the re-ranker: the base model's best candidates for the user's recent events, re-ordered by
/// the LambdaRank model saved in the same artifact; popular items fill when too few candidates pass the rules.
/// Load once, share: thread-safe.
/// </summary>
public sealed class RerankingRecommender
{
    private readonly LambdaRankReranker _reranker;
    private readonly ItemSide _items;

    public RerankingRecommender(ModelArtifact artifact)
    {
        if (!artifact.Attachments.TryGetValue(LambdaRankReranker.AttachmentName, out var ranker)
            || !artifact.Attachments.TryGetValue(ItemSide.AttachmentName, out var items))
        {
            throw new ArgumentException("This artifact carries no re-ranker.", nameof(artifact));
        }

        Base = new Recommender(artifact);
        _reranker = LambdaRankReranker.Load(ranker);
        _items = ItemSide.Load(items);
    }

    /// <summary>The plain recommender of the same artifact (similar items, popular items, fallback).</summary>
    public Recommender Base { get; }

    public IReadOnlyList<ScoredItem> Recommend(IEnumerable<BehaviorEvent> recentEvents, int count, DateTimeOffset now, Func<string, bool>? isAllowed = null)
    {
        var model = Base.Artifact.Model;
        var profile = Base.Profile(recentEvents, now);
        if (profile.Items.Length == 0)
        {
            return Base.Popular(count, isAllowed);
        }

        var scores = new double[model.Items.Count];
        model.Score(profile.Items, profile.Affinities, scores);
        foreach (var i in profile.Excluded)
        {
            scores[i] = double.NegativeInfinity;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsNegativeInfinity(scores[i]) && isAllowed is not null && !isAllowed(model.Items[i]))
            {
                scores[i] = double.NegativeInfinity;
            }
        }

        var candidates = TopK.Select(scores, _reranker.Options.Candidates);
        var user = new UserSide(profile.Items.Length, profile.LastSeen, profile.MeanSeen);
        var ranked = _reranker.Rerank(candidates, scores, [], _items, user, _items.TagShares(profile.Items), count);
        var result = ranked.Select((item, rank) => new ScoredItem(model.Items[item], count - rank, "model")).ToList();
        if (result.Count < count)
        {
            var taken = new HashSet<string>(result.Select(r => r.ItemId), StringComparer.Ordinal);
            foreach (var extra in Base.Popular(count + profile.Excluded.Count + result.Count, isAllowed))
            {
                if (result.Count == count)
                {
                    break;
                }

                if (model.Items.TryGetIndex(extra.ItemId, out var index) && !profile.Excluded.Contains(index) && taken.Add(extra.ItemId))
                {
                    result.Add(extra);
                }
            }
        }

        return result;
    }
}
