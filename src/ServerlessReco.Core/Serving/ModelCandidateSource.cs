using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A candidate of a list and its index in the model (−1 for one the model did not score, such as a trending fill); when
/// the click model re-ranked it, its predicted click probability for this shopper and how many logged showings of the
/// item the click model learnt from (NaN and 0 otherwise): the uncertainty policy's prior and its strength.
/// </summary>
internal readonly record struct ServingCandidate(RecommendedItem Item, int ModelIndex, double Predicted = double.NaN, int Showings = 0);

/// <summary>
/// The model's candidates for one list: the best (<see cref="Near"/>, best first), a uniform sample of the long tail
/// for the explore pool (<see cref="Tail"/>, each included with probability <see cref="TailInclusion"/>), and what
/// explains a pick by the user's history (null when the model had nothing to go on).
/// </summary>
internal sealed record ModelCandidates(List<ServingCandidate> Near, List<ServingCandidate> Tail, double TailInclusion, ReasonFinder? Reasons);

/// <summary>
/// Candidate source for model scores from the user's history, through the one top-k path (<see cref="UserScores"/>):
/// the user's recent events folded into affinities as in training, every item scored, the catalogue rules and what the
/// list may not take ruled out, the best taken.
/// </summary>
internal static class ModelCandidateSource
{
    /// <summary>
    /// The model's <paramref name="count"/> best candidates for the list (added to <see cref="ListContext.Taken"/>), and a
    /// long-tail sample of <paramref name="tailSize"/> from the rest drawn with <paramref name="random"/>. Reasons are left
    /// for <see cref="ReasonFinder.Explain"/>, asked only for the items served.
    /// </summary>
    public static ModelCandidates Take(ListContext list, int count, int tailSize, Random random)
    {
        var state = list.State;
        var near = new List<ServingCandidate>(count);
        if (state.Model is not { } model)
        {
            return new ModelCandidates(near, [], 1, null);
        }

        var recommender = model.Recommender;
        var profile = recommender.Affinities(list.Events, list.Now);
        if (profile.Items.Length == 0 || count <= 0)
        {
            return new ModelCandidates(near, [], 1, null);
        }

        var scorer = recommender.Artifact.Model;
        using var scores = UserScores.For(scorer, profile.Items, profile.Affinities);
        FamilyBlend.Apply(list, model, scores.Values);
        CatalogRules.Mask(state, scores.Values, list.Category);
        foreach (var id in list.Taken)
        {
            if (scorer.Items.TryGetIndex(id, out var i))
            {
                scores.Exclude(i);
            }
        }

        foreach (var j in scores.Best(count))
        {
            var id = scorer.Items[j];
            list.Taken.Add(id);
            near.Add(new ServingCandidate(state.ItemFor(id, scores.Values[j], "recommended for you", ReasonKind.History), j));
            scores.Exclude(j);
        }

        var tail = new TailSample(tailSize);
        tail.Draw(scores.Values, state.ModelExposed, random);
        var sampled = tail.ModelIndex
            .Select(j => new ServingCandidate(state.ItemFor(scorer.Items[j], scores.Values[j], "something different to discover", ReasonKind.Discovery), j))
            .ToList();
        return new ModelCandidates(near, sampled, tail.Inclusion, new ReasonFinder(recommender, profile.Items, profile.Affinities, list.Strongest));
    }

    /// <summary>
    /// Items like <paramref name="index"/> (the model's index of <paramref name="itemId"/>), best first: available,
    /// not <paramref name="itemId"/> itself, with a positive score; each is added to <paramref name="taken"/>.
    /// </summary>
    public static List<RecommendedItem> Similar(ServingState state, Recommender recommender, string itemId, int index, int count, HashSet<string> taken)
    {
        var scorer = recommender.Artifact.Model;
        using var scores = UserScores.For(scorer, [index], [1.0]);
        scores.Exclude(index);
        CatalogRules.Mask(state, scores.Values, CatalogRules.AnyCategory);
        var title = state.TitleOf(itemId);
        var result = new List<RecommendedItem>(count);
        foreach (var j in scores.Best(count))
        {
            var id = scorer.Items[j];
            taken.Add(id);
            result.Add(state.ItemFor(id, scores.Values[j], $"similar to {title}", ReasonKind.Similar, itemId));
        }

        return result;
    }
}
