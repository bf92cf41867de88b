using System.Collections.Concurrent;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// How often this instance has shown each item in personal lists since the serving state's feedback was read: added to
/// the logged impressions an exploring policy sees, so an item it just showed many times looks less uncertain at once
/// instead of being drawn again until the next refresh. Per instance and in memory (lost on restart, and the log has
/// it by then); a list's propensities are computed from the counts its draw used, so they stay exact.
/// </summary>
internal sealed class LiveExposure
{
    private readonly object _gate = new();
    private ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private TrendingEvents? _since;

    /// <summary>The extra impressions of <paramref name="itemId"/> since <paramref name="feedback"/> was read.</summary>
    public int Of(TrendingEvents feedback, string itemId) =>
        ReferenceEquals(_since, feedback) && _counts.TryGetValue(itemId, out var n) ? n : 0;

    /// <summary>Counts a served list's items against the feedback snapshot it was drawn with (a newer snapshot starts over).</summary>
    public void Record(TrendingEvents feedback, IEnumerable<string> itemIds)
    {
        ConcurrentDictionary<string, int> counts;
        lock (_gate)
        {
            if (!ReferenceEquals(_since, feedback))
            {
                _since = feedback;
                _counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            }

            counts = _counts;
        }

        foreach (var id in itemIds)
        {
            counts.AddOrUpdate(id, 1, static (_, n) => n + 1);
        }
    }
}
