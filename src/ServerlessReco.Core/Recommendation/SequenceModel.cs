namespace ServerlessReco.Core.Recommendation;

/// <summary>Settings of <see cref="SequenceModel"/>; defaults chosen on the second-to-last item of MovieLens-100k.</summary>
public sealed record SequenceOptions
{
    /// <summary>The co-occurrence part: plain EASE (zero diagonal) with this L2 regularisation.</summary>
    public double Lambda { get; init; } = 100;

    /// <summary>How much the transition part counts beside co-occurrence (0: EASE over the recency-weighted history).</summary>
    public double TransitionWeight { get; init; } = 2;

    /// <summary>How many items back from each item of a history still count as leading to it.</summary>
    public int TransitionWindow { get; init; } = 3;

    /// <summary>
    /// Transitions are scored from the history's affinities raised to this power: above 1, what follows the very
    /// newest items leads even more than co-occurrence with the recent history does.
    /// </summary>
    public double TransitionSharpness { get; init; } = 3;

    /// <summary>A transition from k items back counts 0.5^((k − 1)/h).</summary>
    public double TransitionHalfLife { get; init; } = 2;

    /// <summary>Shrinks the transition rates of rarely seen items: count(i → j) / (count(i →) + this).</summary>
    public double TransitionShrinkage { get; init; } = 10;

    /// <summary>The model is a dense items × items matrix: refuse catalogues larger than this.</summary>
    public int MaxItems { get; init; } = 12_000;
}

/// <summary>
/// A sequence-aware linear item-to-item model with closed-form training: EASE's co-occurrence weights B (Steck, 2019)
/// plus a sparse transition matrix T (what followed each item in shoppers' histories, a few items on, shrunk to rates).
/// Scoring is x·B + β·x'·T with x the shopper's affinities, x' = x·(x / max x)^(s − 1), which the training data settings weigh by place in the
/// history (<see cref="TrainingOptions.HistoryHalfLife"/>), and s the <see cref="SequenceOptions.TransitionSharpness"/>:
/// the recent history says what the shopper likes, the very newest items what comes next. In the spirit of SLIST
/// (Choi et al., 2021), which joins an item similarity and a transition model the same way; serving costs EASE's dense
/// row per history item plus a short sparse row.
/// </summary>
public sealed class SequenceModel : IItemScorer
{
    internal SequenceModel(IdIndex items, float[] weights, int[] transitionStart, int[] transitionTargets, float[] transitionRates, SequenceOptions options)
    {
        Items = items;
        Weights = weights;
        TransitionStart = transitionStart;
        TransitionTargets = transitionTargets;
        TransitionRates = transitionRates;
        Options = options;
    }

    public string Name => "sequence";
    public IdIndex Items { get; }
    public SequenceOptions Options { get; }

    /// <summary>EASE's row-major items × items weights, B[i, j] = how much having i says about j.</summary>
    internal float[] Weights { get; }

    /// <summary>β·T in compressed sparse rows: row i spans [TransitionStart[i], TransitionStart[i + 1]).</summary>
    internal int[] TransitionStart { get; }

    internal int[] TransitionTargets { get; }

    internal float[] TransitionRates { get; }

    public static SequenceModel Train(InteractionMatrix data, SequenceOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new SequenceOptions();
        var n = data.ItemCount;
        if (n > options.MaxItems)
        {
            throw new InvalidOperationException($"The sequence model needs a dense {n} × {n} matrix; the limit is {options.MaxItems} items. Use SAR for this catalogue.");
        }

        var ease = EaseModel.Train(
            data,
            new EaseOptions { Lambda = options.Lambda, DiagonalShare = 0, Solution = EaseSolution.ZeroDiagonal, SessionBoost = 0, MaxItems = options.MaxItems },
            progress,
            cancellationToken);
        var (start, targets, rates) = Transitions(data, options);
        progress?.Report($"sequence: {targets.Length:N0} transitions beside co-occurrence");
        return new SequenceModel(data.Items, ease.Weights, start, targets, rates, options);
    }

    /// <summary>
    /// β·T in sparse rows, T[i, j] being how often j came within <see cref="SequenceOptions.TransitionWindow"/> items
    /// after i in a history (nearer counts more), divided by how often i led anywhere plus the shrinkage. Histories are
    /// ordered by <see cref="InteractionMatrix.Ranks"/>.
    /// </summary>
    internal static (int[] Start, int[] Targets, float[] Rates) Transitions(InteractionMatrix data, SequenceOptions options)
    {
        var n = data.ItemCount;
        if (options.TransitionWeight == 0)
        {
            return (new int[n + 1], [], []);
        }

        var step = new double[Math.Max(1, options.TransitionWindow) + 1];
        for (var k = 1; k < step.Length; k++)
        {
            step[k] = Math.Pow(0.5, (k - 1) / options.TransitionHalfLife);
        }

        var rows = new Dictionary<int, double>[n];
        var outgoing = new double[n];
        ForEachTransition(data, step.Length, (from, to, k) =>
        {
            var row = rows[from] ??= [];
            row[to] = row.GetValueOrDefault(to) + step[k];
            outgoing[from] += step[k];
        });
        var start = new int[n + 1];
        var targets = new List<int>();
        var rates = new List<float>();
        for (var i = 0; i < n; i++)
        {
            foreach (var (to, count) in (rows[i] ?? []).OrderBy(p => p.Key))
            {
                targets.Add(to);
                rates.Add((float)(options.TransitionWeight * count / (outgoing[i] + options.TransitionShrinkage)));
            }

            start[i + 1] = targets.Count;
        }

        return (start, [.. targets], [.. rates]);
    }

    /// <summary>Every (earlier item, later item, distance) with distance below <paramref name="window"/> in every history.</summary>
    private static void ForEachTransition(InteractionMatrix data, int window, Action<int, int, int> visit)
    {
        for (var u = 0; u < data.UserCount; u++)
        {
            var sequence = OldestFirst(data.RowItems(u), data.RowRanks(u));
            for (var t = 1; t < sequence.Length; t++)
            {
                for (var k = 1; k < window && k <= t; k++)
                {
                    visit(sequence[t - k], sequence[t], k);
                }
            }
        }
    }

    /// <summary>A user's items oldest first: the item with rank r (0: the newest) at position length − 1 − r.</summary>
    private static int[] OldestFirst(ReadOnlySpan<int> items, ReadOnlySpan<int> ranks)
    {
        var sequence = new int[items.Length];
        for (var p = 0; p < items.Length; p++)
        {
            sequence[items.Length - 1 - ranks[p]] = items[p];
        }

        return sequence;
    }

    public void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores)
    {
        var n = Items.Count;
        scores.Clear();
        var strongest = 0.0;
        foreach (var a in affinities)
        {
            strongest = Math.Max(strongest, a);
        }

        for (var h = 0; h < items.Length; h++)
        {
            var item = items[h];
            EaseModel.AddScaled(Weights.AsSpan(item * n, n), affinities[h], scores);
            var x = Sharpened(affinities[h], strongest);
            for (var p = TransitionStart[item]; p < TransitionStart[item + 1]; p++)
            {
                scores[TransitionTargets[p]] += x * TransitionRates[p];
            }
        }
    }

    public double Contribution(int item, double affinity, int target)
    {
        var p = Array.BinarySearch(TransitionTargets, TransitionStart[item], TransitionStart[item + 1] - TransitionStart[item], target);
        var transition = p >= 0 ? Sharpened(affinity, affinity) * TransitionRates[p] : 0;
        return (affinity * Weights[(item * Items.Count) + target]) + transition;
    }

    /// <summary>
    /// a·(a / strongest)^(s − 1): the affinity sharpened relative to the history's strongest, so the sharpening follows
    /// the place in the history, not the scale of the event weights.
    /// </summary>
    private double Sharpened(double affinity, double strongest) =>
        affinity <= 0 || strongest <= 0 ? 0 : affinity * Math.Pow(affinity / strongest, Options.TransitionSharpness - 1);
}
