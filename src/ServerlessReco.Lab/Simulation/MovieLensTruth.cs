using System.Collections.Concurrent;
using System.Globalization;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// What the MovieLens world knows and the shop never sees, fitted once on every rating of MovieLens-100k (past and
/// future alike): an EASE item-item model (the core's trainer, its default settings, 0/1 interactions) whose rows say
/// how much having rated one movie says about each other one, and a baseline rating predictor μ + b_user + b_item
/// (shrunk towards zero by <see cref="BiasShrinkage"/> ratings). The ratings themselves, in time order, drive the world:
/// histories, arrivals and organic visits. Loaded once per process per folder (<see cref="Load"/>).
/// </summary>
public sealed class MovieLensTruth
{
    /// <summary>Pseudo-ratings at the mean that the item and user biases are shrunk with (the usual baseline predictor).</summary>
    public const double BiasShrinkage = 10;

    private static readonly ConcurrentDictionary<string, Lazy<MovieLensTruth>> Loaded = new(StringComparer.Ordinal);

    private readonly float[] _weights;
    private readonly double[] _itemBias;
    private readonly double[] _userBias;

    private MovieLensTruth(IReadOnlyList<RatingRow> ratings, IReadOnlyList<WorldItem> items, int users)
    {
        Items = items;
        Users = users;
        Ratings = [.. ratings.OrderBy(r => r.Timestamp).ThenBy(r => r.User).ThenBy(r => r.Item)];
        Popularity = new double[items.Count];
        foreach (var r in Ratings)
        {
            Popularity[r.Item - 1]++;
        }

        _weights = FitEase(Ratings, items.Count);
        (Mean, _itemBias, _userBias) = FitBiases(Ratings, items.Count, users);
    }

    /// <summary>Every rating, oldest first (ties by user, then item); users and items numbered from 1 as in the files.</summary>
    public IReadOnlyList<RatingRow> Ratings { get; }

    /// <summary>The movies, item k of the files at index k − 1: title, genres, no text beyond them.</summary>
    public IReadOnlyList<WorldItem> Items { get; }

    public int Users { get; }

    /// <summary>Ratings per movie over the whole data (index k − 1): breaks ties between equal taste scores.</summary>
    public double[] Popularity { get; }

    /// <summary>The mean rating μ.</summary>
    public double Mean { get; }

    /// <summary>The truth of the MovieLens-100k folder <paramref name="folder"/> (u.data, u.item, u.genre), fitted on first use.</summary>
    public static MovieLensTruth Load(string folder) =>
        Loaded.GetOrAdd(Path.GetFullPath(folder), f => new Lazy<MovieLensTruth>(() => Fit(f))).Value;

    /// <summary>The folder holding ml-100k beside a repository root above <paramref name="start"/>, or null.</summary>
    public static string? Find(string start) => MovieLens.FindMl100k(start) is { } data ? Path.GetDirectoryName(data) : null;

    /// <summary>scores[j] += how much having rated movie <paramref name="item"/> (index) says about movie j.</summary>
    public void AddRow(int item, Span<double> scores)
    {
        var row = _weights.AsSpan(item * Items.Count, Items.Count);
        for (var j = 0; j < row.Length; j++)
        {
            scores[j] += row[j];
        }
    }

    /// <summary>The baseline's predicted rating of movie <paramref name="item"/> by <paramref name="user"/> (indices), within 1..5.</summary>
    public double PredictedRating(int user, int item) => Math.Clamp(Mean + _userBias[user] + _itemBias[item], 1, 5);

    private static MovieLensTruth Fit(string folder)
    {
        var ratings = MovieLens.ReadRatings(Path.Combine(folder, "u.data"));
        var catalogue = MovieLens.ReadCatalog(Path.Combine(folder, "u.item"), Path.Combine(folder, "u.genre"));
        var genres = catalogue.SelectMany(c => c.Tags).Distinct(StringComparer.Ordinal).ToList();
        var items = catalogue
            .OrderBy(c => int.Parse(c.ItemId, CultureInfo.InvariantCulture))
            .Select(c => new WorldItem(ItemId(int.Parse(c.ItemId, CultureInfo.InvariantCulture)), Math.Max(0, genres.IndexOf(c.Category ?? string.Empty)), 0, 0, 0)
            {
                Title = c.Title,
                CategoryName = c.Category ?? "unknown",
                Tags = c.Tags,
            })
            .ToList();
        return new MovieLensTruth(ratings, items, ratings.Max(r => r.User));
    }

    /// <summary>The catalogue id of movie <paramref name="movie"/> (numbered from 1, as in the files).</summary>
    public static string ItemId(int movie) => string.Create(CultureInfo.InvariantCulture, $"movie-{movie:D4}");

    private static float[] FitEase(IReadOnlyList<RatingRow> ratings, int items)
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null });
        foreach (var r in ratings)
        {
            builder.Add(r.User.ToString(CultureInfo.InvariantCulture), r.Item.ToString(CultureInfo.InvariantCulture), 1, r.Timestamp);
        }

        var model = EaseModel.Train(builder.Build());
        var weights = new float[items * items];
        var row = new double[model.Items.Count];
        var movieOf = model.Items.Ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture) - 1).ToArray();
        for (var index = 0; index < movieOf.Length; index++)
        {
            model.Score([index], [1.0], row);
            var i = movieOf[index];
            for (var j = 0; j < row.Length; j++)
            {
                weights[(i * items) + movieOf[j]] = (float)row[j];
            }
        }

        return weights;
    }

    private static (double Mean, double[] ItemBias, double[] UserBias) FitBiases(IReadOnlyList<RatingRow> ratings, int items, int users)
    {
        var mean = ratings.Average(r => r.Rating);
        var (itemSum, itemCount) = (new double[items], new double[items]);
        foreach (var r in ratings)
        {
            itemSum[r.Item - 1] += r.Rating - mean;
            itemCount[r.Item - 1]++;
        }

        var itemBias = itemSum.Select((s, i) => s / (BiasShrinkage + itemCount[i])).ToArray();
        var (userSum, userCount) = (new double[users], new double[users]);
        foreach (var r in ratings)
        {
            userSum[r.User - 1] += r.Rating - mean - itemBias[r.Item - 1];
            userCount[r.User - 1]++;
        }

        return (mean, itemBias, userSum.Select((s, u) => s / (BiasShrinkage + userCount[u])).ToArray());
    }
}
