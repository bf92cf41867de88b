namespace ServerlessReco.Core.Recommendation;

/// <summary>How SAR turns co-occurrence counts into item similarity.</summary>
public enum SarSimilarity
{
    /// <summary>c(i,j) / (c(i,i) + c(j,j) − c(i,j)).</summary>
    Jaccard,

    /// <summary>c(i,j) / (c(i,i) × c(j,j)).</summary>
    Lift,

    /// <summary>The raw count c(i,j).</summary>
    Cooccurrence,
}

public sealed record SarOptions
{
    public SarSimilarity Similarity { get; init; } = SarSimilarity.Jaccard;

    /// <summary>Pairs seen together by fewer users are dropped.</summary>
    public int CooccurrenceThreshold { get; init; } = 1;

    /// <summary>
    /// Keep only this many most similar items per item (null: all). Bounds memory at items × neighbours
    /// whatever the catalogue size; the exact benchmark reproduction keeps all.
    /// </summary>
    public int? MaxNeighbors { get; init; }
}

/// <summary>
/// SAR, the Simple Algorithm for Recommendation (as in Microsoft Recommenders): item-item similarity from
/// co-occurrence of users' items, score(u) = affinity(u) × similarity. Stored as sparse rows, computed one
/// item at a time (Gustavson's product of the binary matrix with its transpose), so memory grows with the
/// number of co-occurring pairs kept, never with items².
/// </summary>
public sealed class SarModel : IItemScorer
{
    internal SarModel(IdIndex items, int[] rowStart, int[] neighbors, double[] similarities, SarOptions options)
    {
        Items = items;
        RowStart = rowStart;
        Neighbors = neighbors;
        Similarities = similarities;
        Options = options;
    }

    public string Name => "sar";
    public IdIndex Items { get; }
    public SarOptions Options { get; }
    internal int[] RowStart { get; }
    internal int[] Neighbors { get; }
    internal double[] Similarities { get; }

    public int StoredPairs => Neighbors.Length;

    public static SarModel Train(InteractionMatrix data, SarOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new SarOptions();
        var itemCount = data.ItemCount;
        var (colStart, colUsers, _, _) = data.Transpose();
        var rowItems = new int[itemCount][];
        var rowValues = new double[itemCount][];
        var done = 0;

        Parallel.For(
            0,
            itemCount,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => (Counts: new int[itemCount], Touched: new List<int>()),
            (i, _, local) =>
            {
                (rowItems[i], rowValues[i]) = SimilarityRow(data, colStart, colUsers, i, local.Counts, local.Touched, options);
                if (progress is not null && Interlocked.Increment(ref done) % 10_000 == 0)
                {
                    progress.Report($"sar: {done:N0}/{itemCount:N0} items");
                }

                return local;
            },
            _ => { });

        var (rowStart, neighbors, similarities) = Compressed(rowItems, rowValues);
        return new SarModel(data.Items, rowStart, neighbors, similarities, options);
    }

    /// <summary>
    /// Item <paramref name="i"/>'s row: co-occurrence counts with every item its users touched (counted in the thread's
    /// own buffers, which are left zeroed), turned into the configured similarity and cut to the strongest neighbours.
    /// </summary>
    private static (int[] Items, double[] Values) SimilarityRow(
        InteractionMatrix data, int[] colStart, int[] colUsers, int i, int[] counts, List<int> touched, SarOptions options)
    {
        for (var p = colStart[i]; p < colStart[i + 1]; p++)
        {
            foreach (var j in data.RowItems(colUsers[p]))
            {
                if (counts[j]++ == 0)
                {
                    touched.Add(j);
                }
            }
        }

        var ownCount = colStart[i + 1] - colStart[i];
        var items = new List<int>(touched.Count);
        var values = new List<double>(touched.Count);
        foreach (var j in touched)
        {
            var c = counts[j];
            counts[j] = 0;
            if (c < options.CooccurrenceThreshold)
            {
                continue;
            }

            var other = colStart[j + 1] - colStart[j];
            items.Add(j);
            values.Add(options.Similarity switch
            {
                SarSimilarity.Jaccard => c / (double)(ownCount + other - c),
                SarSimilarity.Lift => c / ((double)ownCount * other),
                _ => c,
            });
        }

        touched.Clear();
        Keep(items, values, options.MaxNeighbors, out var rowItems, out var rowValues);
        return (rowItems, rowValues);
    }

    /// <summary>The rows end to end (compressed sparse rows).</summary>
    private static (int[] RowStart, int[] Neighbors, double[] Similarities) Compressed(int[][] rowItems, double[][] rowValues)
    {
        var itemCount = rowItems.Length;
        var rowStart = new int[itemCount + 1];
        for (var i = 0; i < itemCount; i++)
        {
            rowStart[i + 1] = rowStart[i] + rowItems[i].Length;
        }

        var neighbors = new int[rowStart[itemCount]];
        var similarities = new double[rowStart[itemCount]];
        for (var i = 0; i < itemCount; i++)
        {
            rowItems[i].CopyTo(neighbors, rowStart[i]);
            rowValues[i].CopyTo(similarities, rowStart[i]);
        }

        return (rowStart, neighbors, similarities);
    }

    public void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores)
    {
        scores.Clear();
        for (var h = 0; h < items.Length; h++)
        {
            var item = items[h];
            var a = affinities[h];
            for (var p = RowStart[item]; p < RowStart[item + 1]; p++)
            {
                scores[Neighbors[p]] += a * Similarities[p];
            }
        }
    }

    public double Contribution(int item, double affinity, int target)
    {
        // Rows are sorted by neighbour index (see Keep).
        var p = Array.BinarySearch(Neighbors, RowStart[item], RowStart[item + 1] - RowStart[item], target);
        return p >= 0 ? affinity * Similarities[p] : 0;
    }

    private static void Keep(List<int> items, List<double> values, int? max, out int[] keptItems, out double[] keptValues)
    {
        keptItems = [.. items];
        keptValues = [.. values];
        if (max is { } m && keptItems.Length > m)
        {
            var order = new double[keptValues.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = -keptValues[i];
            }

            Array.Sort(order, keptItems);
            keptItems = keptItems[..m];
            keptValues = [.. order[..m].Select(v => -v)];
        }

        Array.Sort(keptItems, keptValues);
    }
}
