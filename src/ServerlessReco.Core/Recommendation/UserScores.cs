using System.Buffers;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// One user's score for every item of a model, in a pooled buffer (return it with <see cref="Dispose"/>): the one
/// top-k path. Serving (<c>RecommendationService</c>), <see cref="Recommender"/> and offline evaluation all read their
/// lists through it the same way: score the user's items and affinities, rule out what must not be shown
/// (<see cref="Exclude(int)"/>), then take the <see cref="Best"/> k (offline evaluation the <see cref="Top"/> k: it keeps
/// scoring a model with nothing positive to say, so the retraining gate can still tell it is worse than popularity). So
/// the figures offline evaluation reports are those of the lists the API serves.
/// </summary>
public sealed class UserScores : IDisposable
{
    private double[]? _buffer;

    private UserScores(double[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>How many items the model scores.</summary>
    public int Length { get; }

    /// <summary>The scores by model item index; −∞ marks an item ruled out.</summary>
    public Span<double> Values => _buffer is { } buffer ? buffer.AsSpan(0, Length) : throw new ObjectDisposedException(nameof(UserScores));

    /// <summary>
    /// Scores every item of <paramref name="model"/> for a user with these known items and affinities; with no known
    /// items every score is 0 (nothing to go on, so <see cref="Best"/> returns nothing).
    /// </summary>
    public static UserScores For(IItemScorer model, ReadOnlySpan<int> items, ReadOnlySpan<double> affinities)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scores = new UserScores(ArrayPool<double>.Shared.Rent(model.Items.Count), model.Items.Count);
        if (items.Length > 0)
        {
            model.Score(items, affinities, scores.Values);
        }
        else
        {
            scores.Values.Clear();
        }

        return scores;
    }

    /// <summary>Rules an item out: it is never among the best and never drawn from what is left.</summary>
    public void Exclude(int item) => Values[item] = double.NegativeInfinity;

    public void Exclude(IEnumerable<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var values = Values;
        foreach (var item in items)
        {
            values[item] = double.NegativeInfinity;
        }
    }

    /// <summary>
    /// The indices of the <paramref name="k"/> highest-scoring items not ruled out, best first (equal scores: lower
    /// index first), whatever their sign: what offline evaluation scores.
    /// </summary>
    public int[] Top(int k) => TopK.Select(Values, k);

    /// <summary>
    /// <see cref="Top"/>, stopping at the first score that is not positive: a model that sees nothing in an item does not
    /// recommend it (serving fills such places from trending, <see cref="Recommender"/> from popularity). The same list
    /// as <see cref="Top"/> whenever the model has k positive scores for the user, as trained models on real data do.
    /// </summary>
    public int[] Best(int k)
    {
        var values = Values;
        var best = Top(k);
        var positive = 0;
        while (positive < best.Length && values[best[positive]] > 0)
        {
            positive++;
        }

        return positive == best.Length ? best : best[..positive];
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}
