namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// A trained model that scores every item for one user given that user's affinities (item index, weight),
/// e.g. their training row or the affinities folded in from their recent events. Implementations are
/// immutable after training and safe to call from many threads.
/// </summary>
public interface IItemScorer
{
    /// <summary>A short name for reports, e.g. "sar" or "ease".</summary>
    string Name { get; }

    /// <summary>The item numbering the scores use; the same as the training matrix's.</summary>
    IdIndex Items { get; }

    /// <summary>Writes a score for every item into <paramref name="scores"/> (length = item count).</summary>
    void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores);

    /// <summary>
    /// How much one known item (with the user's affinity for it) adds to <paramref name="target"/>'s score: the
    /// term of <see cref="Score"/> it contributes, so serving can name the strongest reason ("because you bought X").
    /// 0 for models without item-to-item terms.
    /// </summary>
    double Contribution(int item, double affinity, int target) => 0;
}
