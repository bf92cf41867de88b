using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.ClickPrediction;

/// <summary>One event of a shopper's history as the features read it: when, which item and category (keys local to the caller; −1: none).</summary>
public readonly record struct HistoryEntry(long Ticks, int Item, int Category);

/// <summary>What is known of an item from the rows before a moment: how often shown, how often engaged, when first shown.</summary>
public readonly record struct ItemExposure(int Shows, int Engaged, long FirstShownTicks);

/// <summary>What is known of one shopper and one item from the rows before a moment: shows without a click, when last shown, engagements.</summary>
public readonly record struct PairExposure(int ShowsWithoutClick, long LastShownTicks, int Engaged);

/// <summary>
/// The click model's features, one definition for training and serving so they cannot drift apart: the candidate
/// source and its score, position (a debiasing feature: learned from where slots were, served at one fixed position),
/// the item's smoothed click-through rate, exposure and age, how often this shopper was shown it without a click and how
/// recently (fatigue), the shopper's own click-through rate, and from the shopper's newest events their affinity to the
/// item's category, their recency, their activity and whether they already interacted with the item.
/// </summary>
public static class ClickFeatures
{
    public static readonly string[] Names =
    [
        "score", "position",
        "source.history", "source.similar", "source.trending", "source.popular", "source.new-arrival", "source.discovery", "source.content", "source.catalogue",
        "item.ctr", "item.shows.log", "item.age.days.log",
        "pair.shows-without-click", "pair.days-since-shown", "pair.engaged",
        "user.ctr", "user.shows.log",
        "user.category-affinity", "user.days-since-event", "user.events.log", "user.item-events",
    ];

    public static int Count => Names.Length;

    /// <summary>The event types a shopper's history holds for the features: what they did, not what they were shown (impressions) or turned down (dismissals).</summary>
    public static bool ReadsEvent(EventType type) => type is not (EventType.Impression or EventType.Dismiss);

    /// <summary>
    /// How many candidate sources have a feature of their own, numbered as <c>Serving.ReasonKind</c> is (history 0 …
    /// catalogue 7). This folder takes the number, not the enum, so that serving can use the model without a loop
    /// between the folders (the click rows, which read the enum, import this folder).
    /// </summary>
    public const int SourceCount = 8;

    /// <summary>A row's source number: −1 for none.</summary>
    public const int NoSource = -1;

    /// <summary>The position every candidate is scored at when serving: the top slot, where the logged rates are best measured.</summary>
    public const int ServingPosition = 0;

    /// <summary>The newest history events the features read; serving reads the same many of the shopper's newest.</summary>
    public const int HistoryEvents = 100;

    /// <summary>Days beyond which recency features are capped (also the value for "never").</summary>
    public const double CapDays = 30;

    /// <summary>The weight of the prior in smoothed rates: a rate of 20 showings' worth of the overall rate.</summary>
    public const double PriorShows = 20;

    /// <summary>
    /// Writes the features of one candidate to <paramref name="x"/> (length <see cref="Count"/>). <paramref name="history"/>
    /// is the shopper's events before <paramref name="nowTicks"/>; <paramref name="source"/> the candidate source's number (<see cref="NoSource"/>: none), oldest first (only the newest <see cref="HistoryEvents"/> are read).
    /// </summary>
    public static void Fill(
        Span<float> x, long nowTicks, double score, int position, int source, int item, int category, ItemExposure exposure,
        PairExposure pair, int userShows, int userEngaged, ReadOnlySpan<HistoryEntry> history, double overallRate)
    {
        x.Clear();
        x[0] = (float)score;
        x[1] = position;
        if (source is >= 0 and < SourceCount)
        {
            x[2 + source] = 1;
        }

        x[10] = (float)((exposure.Engaged + (PriorShows * overallRate)) / (exposure.Shows + PriorShows));
        x[11] = (float)Math.Log(1 + exposure.Shows);
        x[12] = (float)Math.Log(1 + (exposure.Shows == 0 ? 0 : Days(nowTicks - exposure.FirstShownTicks)));
        x[13] = pair.ShowsWithoutClick;
        x[14] = (float)(pair.LastShownTicks == 0 ? CapDays : Days(nowTicks - pair.LastShownTicks));
        x[15] = pair.Engaged;
        x[16] = (float)((userEngaged + (PriorShows * overallRate)) / (userShows + PriorShows));
        x[17] = (float)Math.Log(1 + userShows);
        var newest = history.Length > HistoryEvents ? history[^HistoryEvents..] : history;
        var (inCategory, onItem) = (0, 0);
        foreach (var e in newest)
        {
            inCategory += category >= 0 && e.Category == category ? 1 : 0;
            onItem += e.Item == item ? 1 : 0;
        }

        x[18] = newest.Length == 0 ? 0 : (float)inCategory / newest.Length;
        x[19] = (float)(newest.Length == 0 ? CapDays : Days(nowTicks - newest[^1].Ticks));
        x[20] = (float)Math.Log(1 + newest.Length);
        x[21] = onItem;
    }

    private static double Days(long ticks) => Math.Clamp(ticks / (double)TimeSpan.TicksPerDay, 0, CapDays);
}
