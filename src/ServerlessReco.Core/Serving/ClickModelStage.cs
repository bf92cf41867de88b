using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// The click model's stage of a personal list: the candidates (the model's best, content's and trending's fill)
/// re-ranked by the probability the click model gives each of being clicked by this shopper now, before diversity and
/// exploration take the list's head and explore pool from them. It runs only when the serving version carries a click
/// model (the retrain's gate let it serve), it is switched on, and the shopper has a history; otherwise the list keeps
/// today's order, and the answer says which (<see cref="RecommendationList.Ranker"/>).
/// </summary>
internal sealed class ClickModelStage(ServingOptions options, Func<string, string>? shopperKey)
{
    /// <summary>What <see cref="RecommendationList.Ranker"/> says when the click model did not order the list.</summary>
    public const string None = "none";

    /// <summary>The click model that re-ranks this list, or null: none in the version, switched off, or a shopper with no history.</summary>
    public ClickModel? For(ListContext list) =>
        options.ClickModel && list.State.Model?.Clicks is { } model && HasHistory(list) ? model : null;

    /// <summary>How many candidates to take from the sources when the click model re-ranks: at least its own pool.</summary>
    public int CandidatesFor(int wanted) => Math.Max(wanted, options.ClickModelCandidates);

    /// <summary>The candidates by predicted click probability, best first (ties keep their order), the best <paramref name="keep"/>.</summary>
    public List<ServingCandidate> Rerank(ClickModel model, ListContext list, string userId, List<ServingCandidate> candidates, int keep)
    {
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var history = History(list, keys);
        var scored = new ClickCandidate[candidates.Count];
        for (var c = 0; c < scored.Length; c++)
        {
            var item = candidates[c].Item;
            scored[c] = new ClickCandidate(item.ItemId, keys.GetValueOrDefault(item.ItemId, -1), list.State.CategoryOf(item.ItemId), item.Score, (int)item.ReasonKind);
        }

        var probabilities = new double[scored.Length];
        ClickScoring.Predict(model, shopperKey?.Invoke(userId) ?? userId, list.Now.UtcTicks, history, scored, probabilities);
        var order = new int[scored.Length];
        for (var c = 0; c < order.Length; c++)
        {
            order[c] = c;
        }

        // A stable sort: equal probabilities keep the sources' order.
        Array.Sort(order, (a, b) => probabilities[b].CompareTo(probabilities[a]) is var byProbability and not 0 ? byProbability : a.CompareTo(b));
        var result = new List<ServingCandidate>(Math.Min(keep, order.Length));
        for (var c = 0; c < order.Length && result.Count < keep; c++)
        {
            // The prediction and the showings it rests on go with the candidate: the explore pool's posteriors start from them.
            var o = order[c];
            result.Add(candidates[o] with { Predicted = probabilities[o], Showings = model.Exposures.Items.GetValueOrDefault(scored[o].ItemId).Shows });
        }

        return result;
    }

    private static bool HasHistory(ListContext list)
    {
        foreach (var e in list.Events)
        {
            if (ClickFeatures.ReadsEvent(e.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The shopper's newest behaviour events (as many as the features read), oldest first, keyed per request.</summary>
    private static HistoryEntry[] History(ListContext list, Dictionary<string, int> keys)
    {
        var entries = new List<HistoryEntry>(Math.Min(list.Events.Count, ClickFeatures.HistoryEvents));
        for (var i = list.Events.Count - 1; i >= 0 && entries.Count < ClickFeatures.HistoryEvents; i--)
        {
            var e = list.Events[i];
            if (!ClickFeatures.ReadsEvent(e.Type))
            {
                continue;
            }

            if (!keys.TryGetValue(e.ItemId, out var key))
            {
                keys[e.ItemId] = key = keys.Count;
            }

            entries.Add(new HistoryEntry(e.Timestamp.UtcTicks, key, list.State.CategoryOf(e.ItemId)));
        }

        entries.Reverse();
        return [.. entries];
    }
}
