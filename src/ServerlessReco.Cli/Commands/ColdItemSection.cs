using System.Diagnostics;
using System.Globalization;
using System.Text;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Embedded;
using ServerlessReco.Embeddings;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Cli.Commands;

/// <summary>How compact the vectors are, what that costs on the cold-item benchmark, and how big and quick to load they are.</summary>
public sealed record ContentStorageRow(string Setting, int Dimensions, bool EightBit, double ContentNdcg, long BytesPerItem, double MegabytesAt1682, double LoadMsAt1682, double MegabytesAt100k, double LoadMsAt100k);

/// <summary>
/// How the user's training ratings are weighed into the content profile, and what that gives (mean of the seeds): on a
/// validation split inside the training movies (what the choice is made on) and on the held-out movies.
/// </summary>
public sealed record ContentHistoryRow(string Setting, double ValidationNdcg, double ContentNdcg, double GenreNdcg, double ContentRecall);

/// <summary>The cold-item section of <c>reco benchmark</c> (model name <c>cold-items</c>): figures per seed, storage settings, history weighting, embedding throughput.</summary>
public sealed record ColdItemReport(
    IReadOnlyList<ColdItemSeed> Seeds, IReadOnlyList<ContentStorageRow> Storage, IReadOnlyList<ContentHistoryRow> History, double MillisecondsPerText, int TimedTexts, double LoadSeconds)
{
    public static readonly int[] SeedsUsed = [1, 2, 3, 4, 5];

    /// <summary>The fold serving applies to a shopper's events for the content profile, given the retrain's training settings.</summary>
    public static TrainingOptions Served { get; } = ContentProfile.Folding(new TrainerOptions().Data);

    /// <summary>The history weightings compared; "each movie once" is the profile before the shared fold (every rating counted as 1).</summary>
    private static readonly (string Name, TrainingOptions Options, bool Unweighted)[] Histories =
    [
        ("each movie once (no rating weight, decay or place)", new() { HalfLife = null }, true),
        ("rating weights only (served: `ContentProfile.Folding`)", Served, false),
        ("rating weights, 30-day decay", new(), false),
        ("rating weights, 30-day decay, place half-life 3", new() { HistoryHalfLife = 3 }, false),
        ($"rating weights, 30-day decay, place half-life {TrainingOptions.ValidatedHistoryHalfLife} (the model's)", new TrainerOptions().Data, false),
        ("rating weights, 30-day decay, place half-life 30", new() { HistoryHalfLife = 30 }, false),
        ("rating weights, place half-life 30", new() { HalfLife = null, HistoryHalfLife = 30 }, false),
    ];

    /// <summary>The settings measured; the first is what the retrain uses (<see cref="ContentOptions"/>'s defaults).</summary>
    public static readonly ContentOptions[] Settings =
    [
        new(), new() { Dimensions = 0, EightBit = false }, new() { Dimensions = 0 }, new() { Dimensions = 384 }, new() { Dimensions = 128, EightBit = false }, new() { Dimensions = 64 }, new() { Dimensions = 32 },
    ];

    /// <summary>Embeds the catalogue (through a cache folder under <paramref name="outDir"/>), times the transformer on fresh texts, and runs every seed and setting.</summary>
    public static async Task<ColdItemReport> RunAsync(IReadOnlyList<RatingRow> ratings, IReadOnlyList<CatalogItem> catalogue, string outDir, TextWriter output, CancellationToken cancellationToken)
    {
        using var embedder = new MiniLmItemEmbedder();
        var load = Stopwatch.StartNew();
        embedder.Embed(["warm-up"], cancellationToken);
        var loadSeconds = load.Elapsed.TotalSeconds;
        var timed = catalogue.Take(256).Select(c => ItemText.Of(c) + " (timing)").ToArray();
        var clock = Stopwatch.StartNew();
        embedder.Embed(timed, cancellationToken);
        var msPerText = clock.Elapsed.TotalMilliseconds / timed.Length;
        output.WriteLine($"content model: loaded in {loadSeconds:F1} s, {msPerText:F1} ms per text ({timed.Length} fresh texts, {Environment.ProcessorCount} cores)");

        var cache = new FolderModelBlobStore(Path.Combine(outDir, "content-cache"));
        var vectors = await new CatalogEmbedding(new MemoryItemStore(catalogue), embedder, cache, new() { EmbeddingBudget = TimeSpan.MaxValue })
            .EmbedAsync(catalogue, cancellationToken); // every text: a benchmark has no timeout to fit
        output.WriteLine($"content model: {vectors.Embedded} texts embedded, {vectors.Reused} from the cache");
        var seeds = new List<ColdItemSeed>();
        var storage = new List<ContentStorageRow>();
        foreach (var setting in Settings)
        {
            var content = ContentEmbeddings.Build(vectors.Ids, vectors.Vectors, setting);
            var runs = SeedsUsed.Select(seed => ColdItemBenchmark.Run(ratings, catalogue, content, Served, seed)).ToList();
            if (seeds.Count == 0)
            {
                seeds.AddRange(runs);
            }

            storage.Add(StorageRow(setting, content, runs.Average(r => r.Content.Ndcg), vectors));
        }

        var used = ContentEmbeddings.Build(vectors.Ids, vectors.Vectors, Settings[0]);
        var once = ratings.Select(r => r with { Rating = 1 }).ToList();
        var history = Histories.Select(h =>
        {
            var data = h.Unweighted ? once : ratings;
            var runs = SeedsUsed.Select(seed => ColdItemBenchmark.Run(data, catalogue, used, h.Options, seed)).ToList();
            // The choice is made here: a second 20% held out inside each seed's training movies, never its held-out movies.
            var validation = SeedsUsed.Average(seed => ColdItemBenchmark.Run(ColdItemBenchmark.TrainingPart(data, seed), catalogue, used, h.Options, seed + 100).Content.Ndcg);
            return new ContentHistoryRow(h.Name, validation, runs.Average(r => r.Content.Ndcg), runs.Average(r => r.Genre.Ndcg), runs.Average(r => r.Content.Recall));
        }).ToList();
        return new ColdItemReport(seeds, storage, history, msPerText, timed.Length, loadSeconds);
    }

    /// <summary>Sizes and load times of the attachment at 1,682 items and at 100,000 (the 1,682 vectors repeated under new ids).</summary>
    private static ContentStorageRow StorageRow(ContentOptions setting, ContentEmbeddings content, double ndcg, EmbeddedItems vectors)
    {
        var small = content.ToBytes();
        var ids = Enumerable.Range(0, 100_000).Select(i => $"sku-{i:D6}").ToArray();
        var large = ContentEmbeddings.Build(ids, [.. ids.Select((_, i) => vectors.Vectors[i % vectors.Vectors.Count])], setting).ToBytes();
        var name = setting.Dimensions == 0 ? "384 (model's own, not centred)" : $"{setting.Dimensions} (centred, PCA)";
        return new ContentStorageRow(
            $"{name}, {(setting.EightBit ? "8-bit" : "32-bit float")}", content.Dimensions, setting.EightBit, ndcg, content.VectorBytes / content.Items.Count,
            small.Length / 1e6, LoadMs(small), large.Length / 1e6, LoadMs(large));
    }

    private static double LoadMs(byte[] payload)
    {
        ContentEmbeddings.FromBytes(payload); // warm
        var clock = Stopwatch.StartNew();
        ContentEmbeddings.FromBytes(payload);
        return clock.Elapsed.TotalMilliseconds;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("| seed | held-out items | users | content nDCG@10 | genre nDCG@10 | random nDCG@10 | content R@10 | genre R@10 | random R@10 | content − genre (paired) | z | ratio |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Seeds)
        {
            var (diff, se) = s.Paired;
            text.AppendLine(c, $"| {s.Seed} | {s.HeldOutItems} | {s.Users} | {s.Content.Ndcg:F4} | {s.Genre.Ndcg:F4} | {s.Random.Ndcg:F4} | {s.Content.Recall:F4} | {s.Genre.Recall:F4} | {s.Random.Recall:F4} | {diff:+0.0000;-0.0000} ± {se:F4} | {diff / se:F1} | {s.Content.Ndcg / s.Genre.Ndcg:F2}x |");
        }

        var (content, contentSe) = Stats.MeanAndError([.. Seeds.Select(s => s.Content.Ndcg)]);
        var (genre, genreSe) = Stats.MeanAndError([.. Seeds.Select(s => s.Genre.Ndcg)]);
        var (random, randomSe) = Stats.MeanAndError([.. Seeds.Select(s => s.Random.Ndcg)]);
        text.AppendLine(c, $"| mean of {Seeds.Count} seeds (± 1.96 × s.e. over seeds) | | | {content:F4} ± {1.96 * contentSe:F4} | {genre:F4} ± {1.96 * genreSe:F4} | {random:F4} ± {1.96 * randomSe:F4} | {Seeds.Average(s => s.Content.Recall):F4} | {Seeds.Average(s => s.Genre.Recall):F4} | {Seeds.Average(s => s.Random.Recall):F4} | | | {content / genre:F2}x |");
        text.AppendLine();
        text.AppendLine("Compact storage of the vectors in the model artifact (content nDCG@10: mean of the same seeds):");
        text.AppendLine();
        text.AppendLine("| setting | content nDCG@10 | bytes per item | MB at 1,682 items | load ms | MB at 100,000 items | load ms |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in Storage)
        {
            text.AppendLine(c, $"| {r.Setting} | {r.ContentNdcg:F4} | {r.BytesPerItem} | {r.MegabytesAt1682:F2} | {r.LoadMsAt1682:F1} | {r.MegabytesAt100k:F1} | {r.LoadMsAt100k:F0} |");
        }

        text.AppendLine();
        text.AppendLine("How the user's training ratings weigh in the content profile (the fold of `ShopperHistory`, as serving weighs a shopper's events; mean of the same seeds, 128 directions, 8-bit):");
        text.AppendLine();
        text.AppendLine("| history weighting | validation nDCG@10 (inside the training movies) | content nDCG@10 | content R@10 | ratio to genre affinity |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var r in History)
        {
            text.AppendLine(c, $"| {r.Setting} | {r.ValidationNdcg:F4} | {r.ContentNdcg:F4} | {r.ContentRecall:F4} | {r.ContentNdcg / r.GenreNdcg:F2}x |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Embedding: the model loads in {LoadSeconds:F1} s and takes {MillisecondsPerText:F1} ms per text ({TimedTexts} fresh texts, batches of 32, {Environment.ProcessorCount} cores): a first retrain over 100,000 items would embed for about {MillisecondsPerText * 100_000 / 60_000:F0} minutes (extrapolated), later retrains only new or changed texts.");
        return text.ToString();
    }
}
