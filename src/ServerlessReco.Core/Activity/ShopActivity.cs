using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Activity;

/// <summary>
/// The shop's daily activity for the operator's dashboard, kept per process so that a page load does not scan the
/// store. A closed day's figures are read once and kept for <see cref="ClosedDayLifetime"/> (late imports and erasures
/// can still change them); today's, and the catalogue, are read again at most every <see cref="TodayLifetime"/>. Each
/// refresh is one window read of the event store (a timestamp range: today only, once the closed days are known).
/// Thread-safe: one instance per process.
/// </summary>
public sealed class ShopActivity(IEventStore events, IItemStore items, TimeProvider time)
{
    public const int MaxDays = 90;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<DateOnly, (DayActivity Activity, DateTimeOffset ReadAt)> _days = [];
    private KnownCatalogue? _catalogue;

    public TimeSpan TodayLifetime { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan ClosedDayLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The last <paramref name="days"/> UTC days, today included, oldest first.</summary>
    public async Task<ActivityWindow> GetAsync(int days, CancellationToken cancellationToken = default)
    {
        var (window, catalogue, now) = await RefreshAsync(days, cancellationToken).ConfigureAwait(false);
        var shoppers = new HashSet<int>();
        var activeItems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in window)
        {
            shoppers.UnionWith(day.ShopperHashes);
            activeItems.UnionWith(day.ItemEvents.Keys);
        }

        return new ActivityWindow(window, shoppers.Count, activeItems.Count, catalogue.Size, now);
    }

    /// <summary>
    /// The item's behaviour events per day beside its category's, over the last <paramref name="days"/> days; null when
    /// the catalogue does not hold the item.
    /// </summary>
    public async Task<ItemTrend?> GetItemTrendAsync(string itemId, int days, CancellationToken cancellationToken = default)
    {
        var (window, catalogue, _) = await RefreshAsync(days, cancellationToken).ConfigureAwait(false);
        if (!catalogue.Categories.TryGetValue(itemId, out var category))
        {
            return null;
        }

        var trend = window.Select(day => new ItemDay(
            day.Day,
            day.ItemEvents.GetValueOrDefault(itemId),
            category is null ? 0 : day.ItemEvents.Where(p => catalogue.Categories.GetValueOrDefault(p.Key) == category).Sum(p => p.Value)));
        return new ItemTrend(itemId, category, [.. trend]);
    }

    private async Task<(IReadOnlyList<DayActivity> Window, KnownCatalogue Catalogue, DateTimeOffset Now)> RefreshAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var wanted = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1)).ToList();
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stale = wanted.Where(day => !_days.TryGetValue(day, out var known)
                || now - known.ReadAt >= (day == today ? TodayLifetime : ClosedDayLifetime)).ToList();
            if (stale.Count > 0)
            {
                await ReadDaysAsync(stale[0], stale[^1], now, cancellationToken).ConfigureAwait(false);
            }

            foreach (var old in _days.Keys.Where(day => day < today.AddDays(-MaxDays)).ToList())
            {
                _days.Remove(old);
            }

            if (_catalogue is not { } catalogue || now - catalogue.ReadAt >= TodayLifetime)
            {
                _catalogue = catalogue = await ReadCatalogueAsync(now, cancellationToken).ConfigureAwait(false);
            }

            return ([.. wanted.Select(day => _days[day].Activity)], catalogue, now);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Reads the days from <paramref name="first"/> to <paramref name="last"/> in one pass and replaces what was kept of them.</summary>
    private async Task ReadDaysAsync(DateOnly first, DateOnly last, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<DateOnly, DayActivity>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            fresh[day] = new DayActivity(day);
        }

        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await foreach (var e in events.ReadAllAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            fresh[DateOnly.FromDateTime(e.Timestamp.UtcDateTime)].Add(e);
        }

        foreach (var (day, activity) in fresh)
        {
            _days[day] = (activity, now);
        }
    }

    private async Task<KnownCatalogue> ReadCatalogueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var categories = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unavailable = 0;
        await foreach (CatalogItem item in items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            categories[item.ItemId] = item.Category;
            unavailable += item.Available ? 0 : 1;
        }

        return new KnownCatalogue(new CatalogueSize(categories.Count, unavailable), categories, now);
    }

    /// <summary>The catalogue as last read: its size, each item's category, and when.</summary>
    private sealed record KnownCatalogue(CatalogueSize Size, IReadOnlyDictionary<string, string?> Categories, DateTimeOffset ReadAt);
}
