using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// What a group of served slots earned online. Click-through rate counts a slot as clicked when it was clicked,
/// carted or bought from the list (a purchase implies the click); conversion is purchases per impression.
/// </summary>
public sealed record OnlineFigures(string Policy, string SlotKind, int Lists, int Impressions, int Clicks, int AddsToCart, int Purchases)
{
    public double ClickThroughRate => Impressions == 0 ? 0 : Clicks / (double)Impressions;
    public double AddToCartRate => Impressions == 0 ? 0 : AddsToCart / (double)Impressions;
    public double ConversionRate => Impressions == 0 ? 0 : Purchases / (double)Impressions;

    /// <summary>95 % normal-approximation half-width of the click-through rate, so a reader sees when a difference is noise.</summary>
    public double ClickThroughRateMargin => Margin(ClickThroughRate, Impressions);

    /// <summary>The 95 % normal-approximation half-width of a rate measured over <paramref name="impressions"/> slots (0 for none).</summary>
    public static double Margin(double rate, int impressions) => impressions == 0 ? 0 : 1.96 * Math.Sqrt(rate * (1 - rate) / impressions);
}

/// <summary>Online figures per policy and slot kind ("exploit", "explore", and "all" per policy), over a window.</summary>
public sealed record OnlineReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<OnlineFigures> Rows, int UnattributedRewards)
{
    public const string AllSlots = "all";

    public static OnlineReport Build(ExplorationLog log, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new OnlineReport(from, to, RowsOf(log.Slots), log.UnattributedRewards);
    }

    /// <summary>The figures of the slots per policy ("all" first, then each slot kind), policies in ordinal order.</summary>
    public static IReadOnlyList<OnlineFigures> RowsOf(IEnumerable<AttributedImpression> slots)
    {
        var rows = new List<OnlineFigures>();
        foreach (var byPolicy in slots.GroupBy(s => s.Impression.Policy, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            rows.Add(Figures(byPolicy.Key, AllSlots, byPolicy));
            foreach (var byKind in byPolicy.GroupBy(s => s.Impression.Kind).OrderBy(g => g.Key))
            {
                rows.Add(Figures(byPolicy.Key, byKind.Key.WireName(), byKind));
            }
        }

        return rows;
    }

    private static OnlineFigures Figures(string policy, string kind, IEnumerable<AttributedImpression> slots)
    {
        var lists = new HashSet<string>(StringComparer.Ordinal);
        int impressions = 0, clicks = 0, carts = 0, purchases = 0;
        foreach (var s in slots)
        {
            lists.Add(s.Impression.RecommendationId);
            impressions++;
            clicks += s.ClickReward > 0 ? 1 : 0;
            carts += s.AddedToCart ? 1 : 0;
            purchases += s.Purchased ? 1 : 0;
        }

        return new OnlineFigures(policy, kind, lists.Count, impressions, clicks, carts, purchases);
    }
}
