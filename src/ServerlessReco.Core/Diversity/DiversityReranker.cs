using System.Buffers;

namespace ServerlessReco.Core.Diversity;

/// <summary>
/// Re-ranks a model's best candidates into a shorter list that trades some relevance for variety: a
/// popularity penalty on relevance, maximal marginal relevance over category overlap, and a hard cap on any one
/// category's share (see <see cref="DiversityOptions"/>; the pick is described in <see cref="GreedyDiversitySelection"/>).
/// When the cap cannot be met with the candidates given, the best remaining candidates fill the list rather than
/// leaving it short. Immutable and thread-safe: one instance serves every request.
/// </summary>
public sealed class DiversityReranker
{
    private readonly double _lambda;
    private readonly double _maxCategoryShare;
    private readonly double _popularityPenalty;

    public DiversityReranker(DiversityOptions options)
    {
        options.Validate();
        (_lambda, _maxCategoryShare, _popularityPenalty) = (options.MmrLambda, options.MaxCategoryShare, options.PopularityPenalty);
    }

    /// <summary>
    /// Offline and model-side form: candidates are item indices with their relevance; categories and popularity
    /// (e.g. <c>InteractionMatrix.ItemUserCounts</c>) are looked up by item index. Equal objectives go to the
    /// lower item index. Returns min(count, candidates) item indices, best first.
    /// </summary>
    public int[] Rerank(ReadOnlySpan<int> items, ReadOnlySpan<double> relevance, ItemCategories categories, ReadOnlySpan<int> popularityByItem, int count)
    {
        CheckCandidates(items.Length, relevance, count);
        var n = items.Length;
        var total = 0;
        foreach (var item in items)
        {
            total += categories.Of(item).Length;
        }

        var popularity = ArrayPool<double>.Shared.Rent(n);
        var start = ArrayPool<int>.Shared.Rent(n + 1);
        var flat = ArrayPool<int>.Shared.Rent(Math.Max(1, total));
        try
        {
            var used = 0;
            for (var i = 0; i < n; i++)
            {
                popularity[i] = popularityByItem[items[i]];
                start[i] = used;
                var own = categories.Of(items[i]);
                own.CopyTo(flat.AsSpan(used));
                used += own.Length;
            }

            start[n] = used;
            var picked = new int[Math.Min(count, n)];
            GreedyDiversitySelection.Select(
                _lambda, _maxCategoryShare, _popularityPenalty, relevance, popularity.AsSpan(0, n), items,
                start.AsSpan(0, n + 1), flat.AsSpan(0, used), picked);
            for (var i = 0; i < picked.Length; i++)
            {
                picked[i] = items[picked[i]];
            }

            return picked;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(popularity);
            ArrayPool<int>.Shared.Return(start);
            ArrayPool<int>.Shared.Return(flat);
        }
    }

    /// <summary>
    /// Serving form, for any candidate type (item ids, scored items) with one category each (null: none).
    /// Equal objectives go to the earlier candidate.
    /// </summary>
    public IReadOnlyList<T> Rerank<T>(IReadOnlyList<T> candidates, int count, Func<T, double> relevance, Func<T, string?> category, Func<T, double> popularity) =>
        RerankWithCategorySets(candidates, count, relevance, c => category(c) is { } name ? [name] : null, popularity);

    /// <summary>Serving form for candidates with several categories each (null or empty: none).</summary>
    public IReadOnlyList<T> RerankWithCategorySets<T>(IReadOnlyList<T> candidates, int count, Func<T, double> relevance, Func<T, IEnumerable<string>?> categories, Func<T, double> popularity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var n = candidates.Count;
        var scores = new double[n];
        var popularities = new double[n];
        var order = new int[n];
        var start = new int[n + 1];
        var flat = new List<int>(n * 2);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            scores[i] = relevance(candidates[i]);
            popularities[i] = popularity(candidates[i]);
            order[i] = i;
            start[i] = flat.Count;
            ItemCategories.AppendSortedDistinct(categories(candidates[i]), numbers, flat);
        }

        start[n] = flat.Count;
        CheckCandidates(n, scores, count);
        var picked = new int[Math.Min(count, n)];
        GreedyDiversitySelection.Select(
            _lambda, _maxCategoryShare, _popularityPenalty, scores, popularities, order, start,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(flat), picked);
        return Array.ConvertAll(picked, i => candidates[i]);
    }

    private static void CheckCandidates(int items, ReadOnlySpan<double> scores, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (items != scores.Length)
        {
            throw new ArgumentException($"Each candidate needs one relevance score: {items} candidates, {scores.Length} scores.");
        }

        foreach (var score in scores)
        {
            if (!double.IsFinite(score))
            {
                throw new ArgumentException("Relevance scores must be finite numbers; leave excluded items out of the candidates.");
            }
        }
    }
}
