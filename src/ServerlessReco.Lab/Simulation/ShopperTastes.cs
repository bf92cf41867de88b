namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// Every shopper's taste at their current point in the real sequence: the truth's EASE score of each movie given the
/// movies they have rated so far (a sum of the model's rows, kept up to date one rating at a time), turned into click
/// probabilities by rank. Among the movies a shopper has not rated, the one ranked r (1: the best) is clicked at the top
/// of a list with probability top · r^(−α), α chosen per shopper so that the median movie gets exactly the median
/// probability (defaults 0.3 and 0.01: the 10th best ≈ 0.09, the 100th ≈ 0.03); movies already rated are never clicked.
/// Ties (a shopper without history) are broken by popularity over the whole data.
/// </summary>
internal sealed class ShopperTastes
{
    /// <summary>Popularity's weight in the score: only ever breaks ties (EASE scores differ by far more).</summary>
    private const double TieBreak = 1e-9;

    private readonly MovieLensTruth _truth;
    private readonly double _top;
    private readonly double _median;
    private readonly int _items;
    private readonly double[][] _scores;
    private readonly bool[][] _rated;
    private readonly int[] _ratedCount;
    private readonly double[]?[] _probabilities;

    public ShopperTastes(MovieLensTruth truth, double top, double median)
    {
        _truth = truth;
        _top = top;
        _median = median;
        _items = truth.Items.Count;
        _scores = new double[truth.Users][];
        _rated = new bool[truth.Users][];
        _ratedCount = new int[truth.Users];
        _probabilities = new double[truth.Users][];
    }

    /// <summary>The shopper (index) has rated the movie (index): their taste moves on.</summary>
    public void Rated(int user, int item)
    {
        var scores = _scores[user] ??= [.. _truth.Popularity.Select(p => p * TieBreak)];
        var rated = _rated[user] ??= new bool[_items];
        if (rated[item])
        {
            return;
        }

        rated[item] = true;
        _ratedCount[user]++;
        _truth.AddRow(item, scores);
        _probabilities[user] = null;
    }

    public bool HasRated(int user, int item) => _rated[user]?[item] ?? false;

    public int RatedCount(int user) => _ratedCount[user];

    /// <summary>The probability that the shopper clicks the movie at the top of a list, now.</summary>
    public double ClickProbability(int user, int item) => (_probabilities[user] ??= Probabilities(user))[item];

    private double[] Probabilities(int user)
    {
        var scores = _scores[user] ?? [.. _truth.Popularity.Select(p => p * TieBreak)];
        var rated = _rated[user];
        var unrated = Enumerable.Range(0, _items).Where(i => rated is null || !rated[i]).ToArray();
        var keys = unrated.Select(i => -scores[i]).ToArray();
        Array.Sort(keys, unrated);
        var alpha = unrated.Length < 3 ? 0 : Math.Log(_top / _median) / Math.Log(unrated.Length / 2.0);
        var probabilities = new double[_items];
        for (var r = 0; r < unrated.Length; r++)
        {
            probabilities[unrated[r]] = _top * Math.Pow(r + 1, -alpha);
        }

        return probabilities;
    }
}
