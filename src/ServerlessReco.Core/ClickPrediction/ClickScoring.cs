namespace ServerlessReco.Core.ClickPrediction;

/// <summary>
/// One candidate of a list as the click model sees it when serving: the item, its key in the request's history keys
/// (−1: not in the history), its category key (−1: none), and the score and source (a <c>Serving.ReasonKind</c>
/// number) it was ranked by.
/// </summary>
public readonly record struct ClickCandidate(string ItemId, int ItemKey, int Category, double Score, int Source);

/// <summary>
/// The click model's predictions for the candidates of one shopper's list, with the features training computed for
/// each logged row (<see cref="ClickFeatures.Fill"/>): the item's, the shopper's and the pair's counts from the model,
/// the shopper's history from the request, every candidate at the same position (<see cref="ClickFeatures.ServingPosition"/>)
/// so the position the model learned does not reorder anything.
/// </summary>
public static class ClickScoring
{
    /// <param name="userKey">The shopper's pseudonym (the rows' key); null for a shopper the model cannot know.</param>
    /// <param name="history">The shopper's behaviour events, oldest first, keyed as the candidates' <see cref="ClickCandidate.ItemKey"/>.</param>
    public static void Predict(
        ClickModel model, string? userKey, long nowTicks, ReadOnlySpan<HistoryEntry> history, ReadOnlySpan<ClickCandidate> candidates, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (probabilities.Length < candidates.Length)
        {
            throw new ArgumentException("One probability per candidate.", nameof(probabilities));
        }

        var exposures = model.Exposures;
        var user = userKey is null ? default : exposures.Users.GetValueOrDefault(userKey);
        Span<float> x = stackalloc float[ClickFeatures.Count];
        for (var c = 0; c < candidates.Length; c++)
        {
            var candidate = candidates[c];
            var pair = userKey is null ? default : exposures.Pairs.GetValueOrDefault((userKey, candidate.ItemId));
            ClickFeatures.Fill(
                x, nowTicks, candidate.Score, ClickFeatures.ServingPosition, candidate.Source, candidate.ItemKey, candidate.Category,
                exposures.Items.GetValueOrDefault(candidate.ItemId), pair, user.Shows, user.Engaged, history, model.OverallRate);
            probabilities[c] = model.Probability(x);
        }
    }
}
