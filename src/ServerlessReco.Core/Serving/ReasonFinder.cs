using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>Explains a model pick by the item of the user's history that adds most to its score.</summary>
internal sealed class ReasonFinder
{
    private readonly Recommender _recommender;
    private readonly int[] _items;
    private readonly double[] _affinities;
    private readonly IReadOnlyDictionary<string, EventType> _strongest;
    private readonly int[] _candidates;

    public ReasonFinder(Recommender recommender, int[] items, double[] affinities, IReadOnlyDictionary<string, EventType> strongest)
    {
        _recommender = recommender;
        (_items, _affinities, _strongest) = (items, affinities, strongest);
        // Reasons are sought among the user's strongest items only: each lookup is a cache miss in a large model,
        // and a list for a long history would otherwise spend more time explaining than scoring.
        _candidates = items.Length <= MaxReasonCandidates
            ? Enumerable.Range(0, items.Length).ToArray()
            : TopK.Select(affinities, MaxReasonCandidates);
    }

    public RecommendedItem Explain(ServingState state, RecommendedItem item, int j)
    {
        var scorer = _recommender.Artifact.Model;
        if (_strongest.TryGetValue(item.ItemId, out var did))
        {
            // Served again (seen items are not left out for this shop): the reason is what the shopper did with it.
            return item with { Reason = ReasonVerbs.Again(did), BasedOn = item.ItemId, ReasonKind = ReasonKind.History };
        }

        var best = -1;
        var bestValue = 0.0;
        foreach (var h in _candidates)
        {
            var value = scorer.Contribution(_items[h], _affinities[h], j);
            if (value > bestValue)
            {
                (best, bestValue) = (_items[h], value);
            }
        }

        if (best < 0)
        {
            return item;
        }

        var basedOn = scorer.Items[best];
        return item with { Reason = ReasonVerbs.Because(_strongest.GetValueOrDefault(basedOn, EventType.View), state.TitleOf(basedOn)), BasedOn = basedOn, ReasonKind = ReasonKind.History };
    }

    /// <summary>How many of the user's items (by affinity) are considered as the reason of a model pick.</summary>
    private const int MaxReasonCandidates = 32;
}
