using ServerlessReco.Core.Diversity;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Diversity re-ranking of a list's candidates (<see cref="ServingOptions.Diversity"/>: MMR over categories, a category
/// cap counted against the list's length, a popularity penalty). Built only when re-ranking is on.
/// </summary>
internal sealed class DiversityStage(DiversityOptions options)
{
    private readonly DiversityReranker _reranker = new(options);

    /// <summary>How many of the model's best to read so that re-ranking has enough to choose from.</summary>
    public int CandidatesFor(int wanted) => Math.Max(wanted, options.Candidates);

    /// <summary>
    /// The exploit list (<paramref name="room"/> items) as the re-ranker picks it, then the explore pool: the best of the
    /// rest in the model's order, up to <paramref name="wanted"/> in all.
    /// </summary>
    public List<ServingCandidate> Rerank(ServingState state, List<ServingCandidate> candidates, int room, int wanted)
    {
        var artifact = state.Model?.Recommender.Artifact;
        double Popularity(int i) =>
            artifact is null ? 0
            : candidates[i].ModelIndex >= 0 ? artifact.ItemPopularity[candidates[i].ModelIndex]
            : artifact.Model.Items.TryGetIndex(candidates[i].Item.ItemId, out var j) ? artifact.ItemPopularity[j] : 0;
        var all = Enumerable.Range(0, candidates.Count).ToArray();
        var head = _reranker.Rerank(all, Math.Min(room, candidates.Count), i => candidates[i].Item.Score, i => candidates[i].Item.Category, Popularity);
        var inHead = head.ToHashSet();
        return head.Concat(all.Where(i => !inHead.Contains(i))).Take(wanted).Select(i => candidates[i]).ToList();
    }
}
