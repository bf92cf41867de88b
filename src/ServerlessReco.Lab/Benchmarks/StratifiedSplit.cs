using ServerlessReco.Lab.Datasets;
namespace ServerlessReco.Lab.Benchmarks;

/// <summary>
/// Microsoft Recommenders' <c>python_stratified_split</c> (filter by item): one uniform draw per row in
/// input order from numpy's MT19937, rows of each item ordered by their draw, the first
/// round-half-to-even(ratio × count) of them to train, the rest to test.
/// </summary>
public static class StratifiedSplit
{
    public static (List<RatingRow> Train, List<RatingRow> Test) ByItem(IReadOnlyList<RatingRow> rows, double ratio = 0.75, uint seed = 42)
    {
        var random = new MersenneTwister(seed);
        var draws = new double[rows.Count];
        for (var i = 0; i < draws.Length; i++)
        {
            draws[i] = random.NextDouble();
        }

        var byItem = new Dictionary<int, List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!byItem.TryGetValue(rows[i].Item, out var list))
            {
                byItem[rows[i].Item] = list = [];
            }

            list.Add(i);
        }

        var train = new List<RatingRow>((int)(rows.Count * ratio) + 1);
        var test = new List<RatingRow>(rows.Count - train.Capacity + 2);
        foreach (var list in byItem.Values)
        {
            // Stable order by draw; ties (never seen in practice) keep input order.
            var ordered = list.OrderBy(i => draws[i]).ToList();
            var cut = (int)Math.Round(ratio * ordered.Count, MidpointRounding.ToEven);
            for (var j = 0; j < ordered.Count; j++)
            {
                (j < cut ? train : test).Add(rows[ordered[j]]);
            }
        }

        return (train, test);
    }
}
