using System.Runtime.Intrinsics;
namespace ServerlessReco.Core.Recommendation;

public sealed record EaseOptions
{
    /// <summary>L2 regularisation λ added to the Gram matrix's diagonal.</summary>
    public double Lambda { get; init; } = 300;

    /// <summary>
    /// Popularity-proportional regularisation (EDLAE's dropout term p/(1−p)): each item's diagonal also gets
    /// this share of its own count, so popular items are shrunk more. 0: plain EASE.
    /// </summary>
    public double DiagonalShare { get; init; } = 1.5;

    /// <summary>
    /// <see cref="EaseSolution.Dropout"/> (default): B = I − PΛ, the denoising-autoencoder solution, Λ the
    /// regularisation above; <see cref="EaseSolution.ZeroDiagonal"/>: EASE's B = I − P·diag(1/diag(P)).
    /// They differ in how each item's column is scaled; the diagonal never matters because items a user
    /// already has are never recommended. Chosen on an inner validation split of ML-100k.
    /// </summary>
    public EaseSolution Solution { get; init; } = EaseSolution.Dropout;

    /// <summary>Train on 0/1 interactions (true) or on the affinities themselves.</summary>
    public bool Binary { get; init; } = true;

    /// <summary>
    /// Session co-occurrence: a pair of items one user interacted with Δt apart counts 1 + boost·e^(−Δt/window)
    /// times in the Gram matrix instead of once, so items taken up in the same session (or from the same page)
    /// relate more strongly. 0: plain EASE. Chosen on an inner validation split of ML-100k (boost 1, window 3
    /// minutes: +0.010 nDCG@10 on the test split).
    /// </summary>
    public double SessionBoost { get; init; } = 1;

    public TimeSpan SessionWindow { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// EASE keeps a dense items × items matrix: refuse catalogues larger than this (memory 8 × n² bytes while
    /// training). Larger catalogues use SAR with bounded neighbours.
    /// </summary>
    public int MaxItems { get; init; } = 12_000;
}

/// <summary>Which closed form <see cref="EaseModel"/> takes from P = (XᵀX + Λ)⁻¹.</summary>
public enum EaseSolution
{
    /// <summary>Steck's EDLAE/DLAE form: B = I − PΛ.</summary>
    Dropout,

    /// <summary>EASE: B = I − P·diag(1/diag(P)), a zero diagonal by construction.</summary>
    ZeroDiagonal,
}

/// <summary>
/// EASE and its denoising form (Steck, 2019/2020): a closed-form item-item linear model from
/// P = (XᵀX + Λ)⁻¹ with Λ = λ + share·diag(XᵀX) (see <see cref="EaseSolution"/>), XᵀX session-weighted,
/// score(u) = x(u)·B with a zero diagonal. Strong on dense catalogues such as MovieLens; quadratic in items,
/// so it is for catalogues up to ~10k items.
/// </summary>
public sealed class EaseModel : IItemScorer
{
    internal EaseModel(IdIndex items, float[] weights, EaseOptions options)
    {
        Items = items;
        Weights = weights;
        Options = options;
    }

    public string Name => "ease";
    public IdIndex Items { get; }
    public EaseOptions Options { get; }

    /// <summary>Row-major items × items, B[i, j] = how much having i says about j.</summary>
    internal float[] Weights { get; }

    public static EaseModel Train(InteractionMatrix data, EaseOptions? options = null, CancellationToken cancellationToken = default) =>
        Train(data, options, null, cancellationToken);

    public static EaseModel Train(InteractionMatrix data, EaseOptions? options, IProgress<string>? progress, CancellationToken cancellationToken = default)
    {
        options ??= new EaseOptions();
        var n = data.ItemCount;
        if (n > options.MaxItems)
        {
            throw new InvalidOperationException($"EASE needs a dense {n} × {n} matrix; the limit is {options.MaxItems} items. Use SAR for this catalogue.");
        }

        var m = DenseInverse.PaddedSize(n);
        var gram = Gram(data, options, m);
        var penalty = new double[n];
        for (var i = 0; i < m; i++)
        {
            if (i < n)
            {
                penalty[i] = (gram[(i * m) + i] * options.DiagonalShare) + options.Lambda;
                gram[(i * m) + i] += penalty[i];
            }
            else
            {
                gram[(i * m) + i] = 1;
            }
        }

        progress?.Report($"ease: gram matrix {n:N0} × {n:N0} built, inverting");
        DenseInverse.InvertSymmetric(gram, m, cancellationToken);
        progress?.Report("ease: inverted, writing weights");

        var weights = new float[n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j < n; j++)
            {
                var scale = options.Solution == EaseSolution.ZeroDiagonal ? 1 / gram[(j * m) + j] : penalty[j];
                weights[(i * n) + j] = i == j ? 0 : (float)(-gram[(i * m) + j] * scale);
            }
        });
        return new EaseModel(data.Items, weights, options);
    }

    public void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores)
    {
        var n = Items.Count;
        scores.Clear();
        for (var h = 0; h < items.Length; h++)
        {
            var x = Options.Binary ? 1.0 : affinities[h];
            AddScaled(Weights.AsSpan(items[h] * n, n), x, scores);
        }
    }

    /// <summary>
    /// scores[j] += x · row[j] in double, four lanes at a time where the hardware allows: the same products and
    /// sums as the scalar loop (no fused multiply-add, no reordering), so results are bit-identical, only faster.
    /// </summary>
    internal static void AddScaled(ReadOnlySpan<float> row, double x, Span<double> scores)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            ref var r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
            ref var s = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);
            for (; j <= row.Length - 8; j += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)j));
                var s0 = Vector256.LoadUnsafe(ref s, (nuint)j);
                var s1 = Vector256.LoadUnsafe(ref s, (nuint)(j + 4));
                (s0 + (vx * lo)).StoreUnsafe(ref s, (nuint)j);
                (s1 + (vx * hi)).StoreUnsafe(ref s, (nuint)(j + 4));
            }
        }

        for (; j < row.Length; j++)
        {
            scores[j] += x * row[j];
        }
    }

    public double Contribution(int item, double affinity, int target) =>
        (Options.Binary ? 1.0 : affinity) * Weights[(item * Items.Count) + target];

    /// <summary>
    /// XᵀX (session-weighted, see <see cref="EaseOptions.SessionBoost"/>) in an m × m (m ≥ n, zero-padded)
    /// matrix, one item row at a time from the sparse matrix.
    /// </summary>
    internal static double[] Gram(InteractionMatrix data, EaseOptions options, int m)
    {
        var n = data.ItemCount;
        var gram = new double[m * m];
        var (colStart, colUsers, colValues, colTimes) = data.Transpose();
        var boost = options.SessionBoost;
        var window = options.SessionWindow.TotalSeconds;
        Parallel.For(0, n, i =>
        {
            var row = gram.AsSpan(i * m, n);
            for (var p = colStart[i]; p < colStart[i + 1]; p++)
            {
                var u = colUsers[p];
                var xi = options.Binary ? 1 : colValues[p];
                var ti = colTimes[p];
                var items = data.RowItems(u);
                var values = data.RowValues(u);
                var times = data.RowTimes(u);
                for (var q = 0; q < items.Length; q++)
                {
                    var w = xi * (options.Binary ? 1 : values[q]);
                    if (boost != 0 && window > 0)
                    {
                        w *= 1 + (boost * Math.Exp(-Math.Abs(ti - times[q]) / window));
                    }

                    row[items[q]] += w;
                }
            }
        });
        return gram;
    }
}
