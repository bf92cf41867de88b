namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for the fixed new-arrival slots: catalogue items the model does not know yet (created within
/// <see cref="ServingOptions.NewArrivalWindow"/>), in the requested category if there is one. An arrival no list has
/// shown yet comes first, in the user's categories if one fits and from any category otherwise, so that every arrival
/// reaches someone on its first day; once all were shown, the user's categories only, the least shown first (recent
/// lists plus this instance's own since), then the newest, so a day's arrivals take turns instead of the newest one
/// taking every slot. Deterministic given the serving state and the counts: the slot's propensity is 1.
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
        var arrivals = new List<(NewItem Item, long Shown, bool Fits)>();
        foreach (var item in state.NewArrivals)
        {
            if (item.CreatedAt < since)
            {
                break;
            }

            if ((list.Category >= 0 && item.Category != list.Category) || item.CreatedAt > now || list.Taken.Contains(item.ItemId))
            {
                continue;
            }

            var fits = list.Category >= 0 || list.CategoryShares.Count == 0 || list.CategoryShares.ContainsKey(item.Category);
            var shown = state.Trending.Feedback.GetValueOrDefault(item.ItemId).Impressions + _live.Of(state.Trending, item.ItemId);
            if (fits || shown == 0)
            {
                arrivals.Add((item, shown, fits));
            }
        }

        // Stable: never shown before shown (fitting before not), then among those that fit the least shown, then the newest.
        var ordered = arrivals.OrderBy(a => a.Shown > 0).ThenBy(a => !a.Fits).ThenBy(a => a.Shown);
        foreach (var (item, _, _) in ordered.Take(slots))
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
