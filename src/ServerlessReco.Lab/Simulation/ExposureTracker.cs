namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// When a new item (one that arrived on a served day) was first shown and first clicked, in days after it arrived;
/// null when it never was within the run.
/// </summary>
public sealed record NewItemExposure(string ItemId, int ArrivedDay, double? DaysToFirstShown, double? DaysToFirstClick);

/// <summary>
/// What one run showed: impressions per item, the distinct items shown so far at the end of each served round, and for
/// items that arrived on a served day, the day each was first shown and first clicked. Days count from the first
/// (warm-up) day; an item that arrives on day d and is shown on day d was shown after 0 days.
/// </summary>
internal sealed class ExposureTracker(int warmUpDays, int rounds)
{
    private readonly Dictionary<string, long> _exposures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Arrived, int? Shown, int? Clicked)> _newItems = new(StringComparer.Ordinal);
    private readonly List<string> _arrivalOrder = [];
    private readonly double[] _distinctByRound = new double[rounds];

    public IReadOnlyList<double> DistinctShownByRound => _distinctByRound;

    public long Exposures(string itemId) => _exposures.GetValueOrDefault(itemId);

    /// <summary>An item entered the catalogue on <paramref name="day"/>; only arrivals on served days are followed.</summary>
    public void Arrived(string itemId, int day)
    {
        if (day >= warmUpDays && _newItems.TryAdd(itemId, (day, null, null)))
        {
            _arrivalOrder.Add(itemId);
        }
    }

    public void Shown(string itemId, int day)
    {
        _exposures[itemId] = _exposures.GetValueOrDefault(itemId) + 1;
        if (_newItems.TryGetValue(itemId, out var times) && times.Shown is null)
        {
            _newItems[itemId] = times with { Shown = day };
        }
    }

    public void Clicked(string itemId, int day)
    {
        if (_newItems.TryGetValue(itemId, out var times) && times.Clicked is null)
        {
            _newItems[itemId] = times with { Clicked = day };
        }
    }

    public void EndOfRound(int round) => _distinctByRound[round] = _exposures.Count;

    public IReadOnlyList<NewItemExposure> NewItems() =>
        [.. _arrivalOrder.Select(id =>
        {
            var (arrived, shown, clicked) = _newItems[id];
            return new NewItemExposure(id, arrived, shown - arrived, clicked - arrived);
        })];
}
