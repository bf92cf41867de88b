using System.Buffers;

namespace ServerlessReco.Core.Diversity;

/// <summary>
/// The greedy pick behind <see cref="DiversityReranker"/>, on candidate positions 0..n−1. Each step takes the
/// candidate with the highest objective λ × base − (1 − λ) × (largest Jaccard overlap with the picked items),
/// where base = relevance scaled to 0..1 over the candidates − β × log(1 + popularity) scaled to 0..1 over the
/// candidates; candidates that would push a category past the cap wait. Equal objectives go to the higher raw
/// relevance, then to the lower tie-break number, so with every knob off the pick is exactly the relevance
/// order. O(n × count) steps plus the overlap merges; the scratch arrays come from the shared pool.
/// </summary>
internal static class GreedyDiversitySelection
{
    /// <summary>
    /// Fills <paramref name="picked"/> (length ≤ n) with candidate positions, best first.
    /// <paramref name="categoryStart"/> has n + 1 entries into <paramref name="categoryIds"/> (sorted, distinct per candidate).
    /// </summary>
    public static void Select(
        double lambda,
        double maxCategoryShare,
        double popularityPenalty,
        ReadOnlySpan<double> relevance,
        ReadOnlySpan<double> popularity,
        ReadOnlySpan<int> tieBreak,
        ReadOnlySpan<int> categoryStart,
        ReadOnlySpan<int> categoryIds,
        Span<int> picked)
    {
        var n = relevance.Length;
        var count = picked.Length;
        if (count == 0)
        {
            return;
        }

        var baseScore = ArrayPool<double>.Shared.Rent(n);
        var overlap = ArrayPool<double>.Shared.Rent(n);
        var state = ArrayPool<byte>.Shared.Rent(n);
        // Categories of the picked items and how many picked items carry each: at most count × (categories per item).
        var usedCategory = ArrayPool<int>.Shared.Rent(Math.Max(1, categoryIds.Length));
        var usedCount = ArrayPool<int>.Shared.Rent(Math.Max(1, categoryIds.Length));
        try
        {
            BaseScores(relevance, popularity, popularityPenalty, baseScore);
            overlap.AsSpan(0, n).Clear();
            state.AsSpan(0, n).Clear();
            // Rounded to 9 decimals first: 0.3 × 10 is 3.0000000000000004 in binary, whose ceiling would be 4.
            var cap = maxCategoryShare >= 1 ? int.MaxValue : (int)Math.Ceiling(Math.Round(maxCategoryShare * count, 9));
            PickInTurn(lambda, cap, relevance, tieBreak, categoryStart, categoryIds, new Scratch(baseScore, overlap, state, usedCategory, usedCount), picked);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(baseScore);
            ArrayPool<double>.Shared.Return(overlap);
            ArrayPool<byte>.Shared.Return(state);
            ArrayPool<int>.Shared.Return(usedCategory);
            ArrayPool<int>.Shared.Return(usedCount);
        }
    }

    /// <summary>The pooled working arrays of one selection.</summary>
    private readonly record struct Scratch(double[] BaseScore, double[] Overlap, byte[] State, int[] UsedCategory, int[] UsedCount);

    /// <summary>Fills the slots one by one with the best open candidate, updating overlaps and category counts after each.</summary>
    private static void PickInTurn(
        double lambda, int cap, ReadOnlySpan<double> relevance, ReadOnlySpan<int> tieBreak, ReadOnlySpan<int> categoryStart,
        ReadOnlySpan<int> categoryIds, Scratch scratch, Span<int> picked)
    {
        var n = relevance.Length;
        var (baseScore, overlap, state) = (scratch.BaseScore, scratch.Overlap, scratch.State);
        var used = 0;
        for (var slot = 0; slot < picked.Length; slot++)
        {
            var best = Best(lambda, relevance, tieBreak, baseScore, overlap, state, n, allowCapped: false);
            if (best < 0)
            {
                // The cap cannot be met with these candidates: the best of the rest fills the list, because a
                // shorter list would cost more than one more item of a crowded category.
                best = Best(lambda, relevance, tieBreak, baseScore, overlap, state, n, allowCapped: true);
            }

            picked[slot] = best;
            state[best] = Taken;
            var categories = categoryIds[categoryStart[best]..categoryStart[best + 1]];
            if (lambda < 1)
            {
                RaiseOverlaps(categories, categoryStart, categoryIds, overlap, state, n);
            }

            if (cap != int.MaxValue)
            {
                used = CountAndCap(categories, cap, scratch.UsedCategory, scratch.UsedCount, used, categoryStart, categoryIds, state, n);
            }
        }
    }

    private const byte Open = 0;
    private const byte Capped = 1;
    private const byte Taken = 2;

    private static void BaseScores(ReadOnlySpan<double> relevance, ReadOnlySpan<double> popularity, double penalty, double[] baseScore)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity, maxLogPopularity = 0;
        for (var i = 0; i < relevance.Length; i++)
        {
            low = Math.Min(low, relevance[i]);
            high = Math.Max(high, relevance[i]);
            maxLogPopularity = Math.Max(maxLogPopularity, Math.Log(1 + Math.Max(0, popularity[i])));
        }

        // Scaled within the candidates so that λ and β mean the same whatever the model's score units.
        var range = high - low;
        for (var i = 0; i < relevance.Length; i++)
        {
            var scaled = range > 0 ? (relevance[i] - low) / range : 1;
            var popular = penalty > 0 && maxLogPopularity > 0 ? Math.Log(1 + Math.Max(0, popularity[i])) / maxLogPopularity : 0;
            baseScore[i] = scaled - (penalty * popular);
        }
    }

    private static int Best(double lambda, ReadOnlySpan<double> relevance, ReadOnlySpan<int> tieBreak, double[] baseScore, double[] overlap, byte[] state, int n, bool allowCapped)
    {
        var best = -1;
        var bestObjective = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            if (state[i] == Taken || (state[i] == Capped && !allowCapped))
            {
                continue;
            }

            var objective = lambda >= 1 ? baseScore[i] : (lambda * baseScore[i]) - ((1 - lambda) * overlap[i]);
            if (best < 0
                || objective > bestObjective
                || (objective == bestObjective && (relevance[i] > relevance[best] || (relevance[i] == relevance[best] && tieBreak[i] < tieBreak[best]))))
            {
                best = i;
                bestObjective = objective;
            }
        }

        return best;
    }

    private static void RaiseOverlaps(ReadOnlySpan<int> pickedCategories, ReadOnlySpan<int> categoryStart, ReadOnlySpan<int> categoryIds, double[] overlap, byte[] state, int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (state[i] != Taken)
            {
                var similarity = ItemCategories.Jaccard(pickedCategories, categoryIds[categoryStart[i]..categoryStart[i + 1]]);
                overlap[i] = Math.Max(overlap[i], similarity);
            }
        }
    }

    /// <summary>Counts the picked item's categories; when one reaches the cap, every open candidate carrying it waits.</summary>
    private static int CountAndCap(ReadOnlySpan<int> pickedCategories, int cap, int[] usedCategory, int[] usedCount, int used, ReadOnlySpan<int> categoryStart, ReadOnlySpan<int> categoryIds, byte[] state, int n)
    {
        foreach (var category in pickedCategories)
        {
            var at = Array.IndexOf(usedCategory, category, 0, used);
            if (at < 0)
            {
                at = used++;
                usedCategory[at] = category;
                usedCount[at] = 0;
            }

            if (++usedCount[at] < cap)
            {
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                if (state[i] == Open && categoryIds[categoryStart[i]..categoryStart[i + 1]].Contains(category))
                {
                    state[i] = Capped;
                }
            }
        }

        return used;
    }
}
