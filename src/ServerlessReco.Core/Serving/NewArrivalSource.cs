using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Candidate source for the fixed new-arrival slots: catalogue items the model does not know yet (created within
/// <see cref="ServingOptions.NewArrivalWindow"/>), and those it knows that no list has shown in their first day yet, in
/// the requested category if there is one. An arrival no list has
/// shown yet comes first, in the user's categories if one fits and from any category otherwise, so that every arrival
/// reaches someone on its first day; once all were shown, the user's categories only, by the upper confidence bound of
/// each arrival's click rate (<see cref="Exploration.ClickRatePosterior"/>: its clicks and showings in recent lists plus
/// this instance's own showings since, a prior at the arrivals' own click rate worth 20 showings), then the least
/// shown, then the newest: the arrivals take turns, and those shoppers click get more of them than those nobody
/// clicks. Deterministic given the serving state and the counts: the slot's propensity is 1.
/// </summary>
internal sealed class NewArrivalSource(ServingOptions options, LiveExposure? live = null)
{
    private const double PriorStrength = 20;
    private const double Confidence = 2;

    private readonly LiveExposure _live = live ?? new();

    /// <summary>Up to <paramref name="slots"/> new arrivals in the order above, scored by age (1 now, halving per window); adds them to <see cref="ListContext.Taken"/>.</summary>
    public List<RecommendedItem> Take(ListContext list, int slots)
    {
        var result = new List<RecommendedItem>();
        if (slots <= 0)
        {
            return result;
        }

        var (state, now) = (list.State, list.Now);
        var arrivals = Eligible(list);
        // The arrivals' own click rate, smoothed: the prior each one's posterior starts from.
        var prior = (arrivals.Sum(a => a.Clicks) + 1.0) / (arrivals.Sum(a => a.Shown) + PriorStrength);
        // Stable: never shown before shown (fitting before not), then among those that fit the most promising, the least
        // shown, the newest.
        var ordered = arrivals
            .OrderBy(a => a.Shown > 0).ThenBy(a => !a.Fits)
            .ThenByDescending(a => ClickRatePosterior.UpperBound(a.Clicks, a.Shown, prior, PriorStrength, Confidence))
            .ThenBy(a => a.Shown);
        foreach (var (item, _, _, _) in ordered.Take(slots))
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

    /// <summary>The arrivals this list may take: within the window and the requested category, not taken, and those outside the shopper's categories only while never shown.</summary>
    private List<(NewItem Item, long Shown, long Clicks, bool Fits)> Eligible(ListContext list)
    {
        var (state, now) = (list.State, list.Now);
        var since = now - options.NewArrivalWindow;
        var arrivals = new List<(NewItem Item, long Shown, long Clicks, bool Fits)>();
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
            var feedback = state.Trending.Feedback.GetValueOrDefault(item.ItemId);
            var shown = feedback.Impressions + _live.Of(state.Trending, item.ItemId);
            // An arrival viewed before a retrain is known to the model from that view alone, which ranks it far too low to
            // reach a list: it keeps the slot until a list first shows it, within its first day (the promise); from
            // then on the model ranks it like any item it knows.
            if (item.ModelKnows && (shown > 0 || now - item.CreatedAt >= NewItemPromise.FirstDay))
            {
                continue;
            }

            if (fits || shown == 0)
            {
                arrivals.Add((item, shown, Math.Min(feedback.Clicks, shown), fits));
            }
        }

        return arrivals;
    }
}
