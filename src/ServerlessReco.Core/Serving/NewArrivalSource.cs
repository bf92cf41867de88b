namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for the fixed new-arrival slots: the newest catalogue items the model does not know yet (created
/// within <see cref="ServingOptions.NewArrivalWindow"/>), in the requested category or else the user's categories.
/// </summary>
internal sealed class NewArrivalSource(ServingOptions options)
{
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
        foreach (var item in state.NewArrivals)
        {
            if (result.Count == slots || item.CreatedAt < since)
            {
                break;
            }

            var fits = list.Category >= 0
                ? item.Category == list.Category
                : list.CategoryShares.Count == 0 || list.CategoryShares.ContainsKey(item.Category);
            if (fits && item.CreatedAt <= now && !list.Taken.Contains(item.ItemId))
            {
                var age = Math.Max(0, (now - item.CreatedAt).TotalSeconds);
                result.Add(state.ItemFor(item.ItemId, Math.Pow(0.5, age / options.NewArrivalWindow.TotalSeconds), "new arrival", ReasonKind.NewArrival));
            }
        }

        foreach (var item in result)
        {
            list.Taken.Add(item.ItemId);
        }

        return result;
    }
}
