namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for the fixed new-arrival slots: catalogue items the model does not know yet (created within
/// <see cref="ServingOptions.NewArrivalWindow"/>), in the requested category or else the user's categories; the least
/// shown first (recent lists plus this instance's own since), then the newest, so a day's arrivals take turns instead
/// of the newest one taking every slot. Deterministic given the serving state and the counts: the slot's propensity is 1.
/// </summary>
internal sealed class NewArrivalSource(ServingOptions options, LiveExposure? live = null)
{
    private readonly LiveExposure _live = live ?? new();

    /// <summary>Up to <paramref name="slots"/> new arrivals, newest first, scored by age (1 now, halving per window); adds them to <see cref="ListContext.Taken"/>.</summary>
    public List<RecommendedItem> Take(ListContext list, int slots)
    {
        var result = new List<RecommendedItem>();
        if (slots <= 0)
        {
            return result;
        }

        var (state, now) = (list.State, list.Now);
        var since = now - options.NewArrivalWindow;
        var fitting = new List<(NewItem Item, long Shown)>();
        foreach (var item in state.NewArrivals)
        {
            if (item.CreatedAt < since)
            {
                break;
            }

            var fits = list.Category >= 0
                ? item.Category == list.Category
                : list.CategoryShares.Count == 0 || list.CategoryShares.ContainsKey(item.Category);
            if (fits && item.CreatedAt <= now && !list.Taken.Contains(item.ItemId))
            {
                fitting.Add((item, state.Trending.Feedback.GetValueOrDefault(item.ItemId).Impressions + _live.Of(state.Trending, item.ItemId)));
            }
        }

        // Stable: among the least shown, the newest (the arrivals' own order).
        foreach (var (item, _) in fitting.OrderBy(f => f.Shown).Take(slots))
        {
            var age = Math.Max(0, (now - item.CreatedAt).TotalSeconds);
            result.Add(state.ItemFor(item.ItemId, Math.Pow(0.5, age / options.NewArrivalWindow.TotalSeconds), "new arrival", ReasonKind.NewArrival));
        }

        foreach (var item in result)
        {
            list.Taken.Add(item.ItemId);
        }

        return result;
    }
}
