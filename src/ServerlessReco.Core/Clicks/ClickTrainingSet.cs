using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// The click model's training matrix: each logged row's features as they were when its list was shown (counts from the
/// rows before it only, so no row sees its own outcome), its label, its logged propensity and time; and the item
/// exposure of every row, which serving reads as the item features.
/// </summary>
public sealed class ClickTrainingSet
{
    private ClickTrainingSet(float[] features, bool[] labels, float[] propensities, long[] ticks, ClickExposures exposures, double overallRate)
    {
        (Features, Labels, Propensities, Ticks, Exposures, OverallRate) = (features, labels, propensities, ticks, exposures, overallRate);
    }

    /// <summary>Row-major, <see cref="ClickFeatures.Count"/> per row.</summary>
    public float[] Features { get; }

    public bool[] Labels { get; }

    public float[] Propensities { get; }

    public long[] Ticks { get; }

    public int Rows => Labels.Length;

    public int Engaged => Labels.Count(l => l);

    /// <summary>The item, shopper and pair counts over all rows (what serving reads).</summary>
    public ClickExposures Exposures { get; }

    /// <summary>The engaged share of all rows: the prior of every smoothed rate.</summary>
    public double OverallRate { get; }

    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * ClickFeatures.Count, ClickFeatures.Count);

    /// <summary>
    /// Builds the matrix from rows in serving order. The slots of one list are featurised together, before any of them
    /// counts, as a list is served at once. <paramref name="categoryKeyOf"/> gives an item's category key (−1: none).
    /// </summary>
    public static ClickTrainingSet Build(IReadOnlyList<ClickRow> rows, ClickHistory history, Func<string, int> categoryKeyOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(categoryKeyOf);
        var count = ClickFeatures.Count;
        var (features, labels, propensities, ticks) = (new float[rows.Count * count], new bool[rows.Count], new float[rows.Count], new long[rows.Count]);
        var overall = rows.Count == 0 ? 0 : rows.Count(r => r.Engaged) / (double)rows.Count;
        var items = new Dictionary<string, ItemExposure>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string User, string Item), PairExposure>();
        var users = new Dictionary<string, UserExposure>(StringComparer.Ordinal);
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = 0;
        while (start < rows.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + 1;
            while (end < rows.Count && rows[end].ListId == rows[start].ListId && rows[end].UserId == rows[start].UserId)
            {
                end++;
            }

            for (var r = start; r < end; r++)
            {
                var row = rows[r];
                var at = row.ShownAt.UtcTicks;
                if (!categories.TryGetValue(row.ItemId, out var category))
                {
                    categories[row.ItemId] = category = categoryKeyOf(row.ItemId);
                }

                var user = users.GetValueOrDefault(row.UserId);
                ClickFeatures.Fill(
                    features.AsSpan(r * count, count), at, row.Score, Math.Max(row.Position, 0), row.Source is { } source ? (int)source : ClickFeatures.NoSource, history.ItemKey(row.ItemId), category,
                    items.GetValueOrDefault(row.ItemId), pairs.GetValueOrDefault((row.UserId, row.ItemId)), user.Shows, user.Engaged,
                    history.Before(row.UserId, at), overall);
                (labels[r], propensities[r], ticks[r]) = (row.Engaged, (float)row.Propensity, at);
            }

            for (var r = start; r < end; r++)
            {
                Count(rows[r], items, pairs, users);
            }

            start = end;
        }

        return new ClickTrainingSet(features, labels, propensities, ticks, new ClickExposures(items, users, pairs), overall);
    }

    private static void Count(
        ClickRow row, Dictionary<string, ItemExposure> items, Dictionary<(string User, string Item), PairExposure> pairs, Dictionary<string, UserExposure> users)
    {
        var at = row.ShownAt.UtcTicks;
        var engaged = row.Engaged ? 1 : 0;
        var item = items.GetValueOrDefault(row.ItemId);
        items[row.ItemId] = new ItemExposure(item.Shows + 1, item.Engaged + engaged, item.Shows == 0 ? at : item.FirstShownTicks);
        var pair = pairs.GetValueOrDefault((row.UserId, row.ItemId));
        pairs[(row.UserId, row.ItemId)] = row.Engaged
            ? new PairExposure(0, at, pair.Engaged + 1) // a click resets fatigue: the shopper still wants it
            : new PairExposure(pair.ShowsWithoutClick + 1, at, pair.Engaged);
        var user = users.GetValueOrDefault(row.UserId);
        users[row.UserId] = new UserExposure(user.Shows + 1, user.Engaged + engaged);
    }
}
