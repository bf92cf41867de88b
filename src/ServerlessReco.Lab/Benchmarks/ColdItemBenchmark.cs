using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Benchmarks;

/// <summary>One ranker on one seed's held-out items: mean nDCG@10 and recall@10 over the users, and each user's nDCG for paired comparisons.</summary>
public sealed record ColdItemScores(string Ranker, double Ndcg, double Recall, double[] NdcgByUser);

/// <summary>One seed: how many items were held out, how many users rated one of them, and each ranker's figures.</summary>
public sealed record ColdItemSeed(int Seed, int HeldOutItems, int Users, ColdItemScores Content, ColdItemScores Genre, ColdItemScores Random)
{
    /// <summary>Content minus genre affinity, nDCG@10, per user: mean and standard error.</summary>
    public (double Mean, double StandardError) Paired => Stats.MeanAndError([.. Content.NdcgByUser.Zip(Genre.NdcgByUser, (c, g) => c - g)]);
}

/// <summary>
/// Cold items on MovieLens-100k: a seeded 20% of the rated movies are held out with every rating they have, and for each
/// user with a held-out rating and a training rating only the held-out movies are ranked, by the content of the user's
/// training movies (<see cref="ContentProfile"/>: the mean of their vectors weighed by the fold serving uses, cosine to
/// each held-out movie), by genre
/// affinity (cosine between the genre counts of the user's training movies and the movie's genres), or at random. Every
/// held-out movie the user rated is relevant. The texts are the titles and genres of u.item and u.genre, nothing else.
/// </summary>
public static class ColdItemBenchmark
{
    public const double HeldOutShare = 0.2;
    public const int K = 10;

    /// <param name="history">
    /// How the user's training ratings fold into the content profile (<see cref="ShopperHistory"/>: rating weights, time
    /// decay, place in the history), as serving folds a shopper's events with the model's training settings.
    /// </param>
    public static ColdItemSeed Run(IReadOnlyList<RatingRow> ratings, IReadOnlyList<CatalogItem> catalogue, ContentEmbeddings content, TrainingOptions history, int seed)
    {
        var genres = GenreVectors(catalogue);
        var heldOut = HeldOut(ratings, seed);
        var candidates = heldOut.Where(i => content.Items.TryGetIndex(Id(i), out _)).Order().ToArray();
        var byUser = ratings.GroupBy(r => r.User).OrderBy(g => g.Key);
        List<double> contentNdcg = [], genreNdcg = [], randomNdcg = [], contentRecall = [], genreRecall = [], randomRecall = [];
        var shuffle = new System.Random(seed + 1);
        var now = DateTimeOffset.FromUnixTimeSeconds(ratings.Where(r => !heldOut.Contains(r.Item)).Max(r => r.Timestamp) + 1);
        foreach (var user in byUser)
        {
            var trainRatings = user.Where(r => !heldOut.Contains(r.Item)).ToList(); // file order: it breaks ties at the same second
            var train = trainRatings.Select(r => r.Item).ToArray();
            var relevant = user.Where(r => heldOut.Contains(r.Item)).Select(r => r.Item).ToHashSet();
            if (train.Length == 0 || relevant.Count == 0)
            {
                continue;
            }

            var profile = ContentProfile.Of(content, trainRatings.Select(r => r.ToEvent()), history, now);
            var taste = GenreTaste(train, genres);
            Score(candidates, i => profile is null ? 0 : content.Dot(content.Items.TryGetIndex(Id(i), out var x) ? x : -1, profile), relevant, contentNdcg, contentRecall);
            Score(candidates, i => Cosine(taste, genres.GetValueOrDefault(i)), relevant, genreNdcg, genreRecall);
            Score(candidates, _ => shuffle.NextDouble(), relevant, randomNdcg, randomRecall);
        }

        return new ColdItemSeed(seed, heldOut.Count, contentNdcg.Count,
            new ColdItemScores("content (all-MiniLM-L6-v2)", contentNdcg.Average(), contentRecall.Average(), [.. contentNdcg]),
            new ColdItemScores("genre affinity", genreNdcg.Average(), genreRecall.Average(), [.. genreNdcg]),
            new ColdItemScores("random", randomNdcg.Average(), randomRecall.Average(), [.. randomNdcg]));
    }

    /// <summary>
    /// The ratings of the movies <paramref name="seed"/>'s split trains on (the held-out movies' ratings removed): a split
    /// inside them validates settings without seeing the held-out movies.
    /// </summary>
    public static List<RatingRow> TrainingPart(IReadOnlyList<RatingRow> ratings, int seed)
    {
        var heldOut = HeldOut(ratings, seed);
        return [.. ratings.Where(r => !heldOut.Contains(r.Item))];
    }

    /// <summary>The seeded <see cref="HeldOutShare"/> of the rated movies.</summary>
    private static HashSet<int> HeldOut(IReadOnlyList<RatingRow> ratings, int seed)
    {
        var rated = ratings.Select(r => r.Item).Distinct().Order().ToArray();
        new System.Random(seed).Shuffle(rated);
        return rated.Take((int)Math.Round(rated.Length * HeldOutShare)).ToHashSet();
    }

    private static string Id(int item) => item.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ranks the candidates by score (ties by id) and records nDCG@10 and recall@10.</summary>
    private static void Score(int[] candidates, Func<int, double> score, HashSet<int> relevant, List<double> ndcg, List<double> recall)
    {
        var ranked = candidates.Select(i => (Item: i, Score: score(i))).OrderByDescending(p => p.Score).ThenBy(p => p.Item).Take(K).Select(p => p.Item).ToList();
        ndcg.Add(RankingMetrics.Ndcg(ranked, relevant, K));
        recall.Add(RankingMetrics.Recall(ranked, relevant, K));
    }

    /// <summary>Each movie's genres as a 0/1 vector (by movie id), from the catalogue's tags.</summary>
    private static Dictionary<int, double[]> GenreVectors(IReadOnlyList<CatalogItem> catalogue)
    {
        var names = catalogue.SelectMany(c => c.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return catalogue.ToDictionary(
            c => int.Parse(c.ItemId, System.Globalization.CultureInfo.InvariantCulture),
            c => names.Select(n => c.Tags.Contains(n) ? 1.0 : 0.0).ToArray());
    }

    private static double[] GenreTaste(int[] train, Dictionary<int, double[]> genres)
    {
        var taste = new double[genres.Values.First().Length];
        foreach (var item in train)
        {
            if (genres.TryGetValue(item, out var g))
            {
                for (var i = 0; i < taste.Length; i++)
                {
                    taste[i] += g[i];
                }
            }
        }

        return taste;
    }

    private static double Cosine(double[] a, double[]? b)
    {
        if (b is null)
        {
            return 0;
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            (dot, na, nb) = (dot + (a[i] * b[i]), na + (a[i] * a[i]), nb + (b[i] * b[i]));
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}

/// <summary>Means with standard errors, for figures that state their uncertainty.</summary>
public static class Stats
{
    public static (double Mean, double StandardError) MeanAndError(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return (values.Count == 1 ? values[0] : 0, double.NaN);
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
