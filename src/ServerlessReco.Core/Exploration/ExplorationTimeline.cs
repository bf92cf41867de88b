namespace ServerlessReco.Core.Exploration;

/// <summary>The online figures of the slots served on one UTC day, per policy and slot kind.</summary>
public sealed record DailyOnlineFigures(DateOnly Day, IReadOnlyList<OnlineFigures> Rows);

/// <summary>
/// What exploration earned day by day over a window, and how much of the catalogue the served lists showed: the
/// operator's view of whether exploring pays and whether it reaches the long tail.
/// </summary>
public sealed record ExplorationTimeline(IReadOnlyList<DailyOnlineFigures> Days, int ItemsShown)
{
    /// <summary>The log's slots grouped by the UTC day they were served, every day of [from, to) present (empty days too).</summary>
    public static ExplorationTimeline Build(ExplorationLog log, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(log);
        var byDay = log.Slots.ToLookup(s => DateOnly.FromDateTime(s.Impression.Timestamp.UtcDateTime));
        var days = new List<DailyOnlineFigures>();
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1)); day = day.AddDays(1))
        {
            days.Add(new DailyOnlineFigures(day, OnlineReport.RowsOf(byDay[day])));
        }

        var shown = log.Slots.Select(s => s.Impression.ItemId).Distinct(StringComparer.Ordinal).Count();
        return new ExplorationTimeline(days, shown);
    }
}
