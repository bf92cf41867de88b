namespace ServerlessReco.Core.Recommendation;

/// <summary>The same list for everyone: items by number of training users. The baseline every model must beat.</summary>
public sealed class PopularityModel(InteractionMatrix data) : IItemScorer
{
    private readonly int[] _popularity = (int[])data.ItemUserCounts.Clone();

    public string Name => "popularity";
    public IdIndex Items { get; } = data.Items;

    public void Score(ReadOnlySpan<int> items, ReadOnlySpan<double> affinities, Span<double> scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = _popularity[i];
        }
    }
}
