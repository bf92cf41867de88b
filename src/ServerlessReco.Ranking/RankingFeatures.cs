using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Ranking;

/// <summary>
/// What the re-ranker knows about each item of a training matrix: popularity, when it was active, its
/// release (catalogue creation) date and its tags (or category).
/// </summary>
public sealed class ItemSide
{
    private ItemSide(float[] logPopularity, double[] firstSeen, double[] meanSeen, double[] created, int[][] tags, int tagCount)
    {
        LogPopularity = logPopularity;
        FirstSeen = firstSeen;
        MeanSeen = meanSeen;
        Created = created;
        Tags = tags;
        TagCount = tagCount;
    }

    internal float[] LogPopularity { get; }
    internal double[] FirstSeen { get; }
    internal double[] MeanSeen { get; }
    internal double[] Created { get; }
    internal int[][] Tags { get; }
    internal int TagCount { get; }

    /// <summary>Item facts from <paramref name="data"/> and, when given, the catalogue.</summary>
    public static ItemSide From(InteractionMatrix data, IReadOnlyDictionary<string, CatalogItem>? catalog = null)
    {
        var n = data.ItemCount;
        var tagIndex = new IdIndex();
        var tags = new int[n][];
        var created = new double[n];
        for (var i = 0; i < n; i++)
        {
            CatalogItem? item = null;
            catalog?.TryGetValue(data.Items[i], out item);
            var names = item is null ? [] : item.Tags.Count > 0 ? item.Tags : item.Category is { } c ? [c] : [];
            tags[i] = names.Select(tagIndex.GetOrAdd).Distinct().ToArray();
            created[i] = item?.CreatedAt?.ToUnixTimeSeconds() ?? double.NaN;
        }

        return new ItemSide(
            data.ItemUserCounts.Select(c => (float)Math.Log(1 + c)).ToArray(),
            data.Times.ItemFirstSeen.Select(t => (double)t).ToArray(),
            data.Times.ItemMeanSeen,
            created,
            tags,
            tagIndex.Count);
    }

    /// <summary>Serialised for the model artifact (attachment <see cref="AttachmentName"/>).</summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(LogPopularity.Length);
            writer.Write(TagCount);
            for (var i = 0; i < LogPopularity.Length; i++)
            {
                writer.Write(LogPopularity[i]);
                writer.Write(FirstSeen[i]);
                writer.Write(MeanSeen[i]);
                writer.Write(Created[i]);
                writer.Write(Tags[i].Length);
                foreach (var tag in Tags[i])
                {
                    writer.Write(tag);
                }
            }
        }

        return stream.ToArray();
    }

    public static ItemSide Load(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload));
        var n = reader.ReadInt32();
        var tagCount = reader.ReadInt32();
        var logPopularity = new float[n];
        var firstSeen = new double[n];
        var meanSeen = new double[n];
        var created = new double[n];
        var tags = new int[n][];
        for (var i = 0; i < n; i++)
        {
            logPopularity[i] = reader.ReadSingle();
            firstSeen[i] = reader.ReadDouble();
            meanSeen[i] = reader.ReadDouble();
            created[i] = reader.ReadDouble();
            tags[i] = new int[reader.ReadInt32()];
            for (var t = 0; t < tags[i].Length; t++)
            {
                tags[i][t] = reader.ReadInt32();
            }
        }

        return new ItemSide(logPopularity, firstSeen, meanSeen, created, tags, tagCount);
    }

    public const string AttachmentName = "reranker.items";

    /// <summary>The share of a user's history carrying each tag.</summary>
    internal float[] TagShares(ReadOnlySpan<int> history)
    {
        var shares = new float[TagCount];
        if (history.Length == 0)
        {
            return shares;
        }

        foreach (var item in history)
        {
            foreach (var tag in Tags[item])
            {
                shares[tag] += 1f / history.Length;
            }
        }

        return shares;
    }
}

/// <summary>What the re-ranker knows about the user: how much history, and when they were active.</summary>
public readonly record struct UserSide(int HistoryCount, double LastSeen, double MeanSeen);

/// <summary>The feature vector of one (user, candidate) pair.</summary>
internal static class RankingFeatures
{
    public const int Count = 11;
    private const double Year = 365.25 * 86400;

    public static readonly string[] Names =
    [
        "score", "score/top", "rank", "log popularity", "years since item first seen", "years between user and item activity",
        "years since release", "log history", "tag affinity", "second score", "second score/top",
    ];

    public static void Fill(Span<float> f, double score, double topScore, int rank, int item, ItemSide items, UserSide user, float[] tagShares, double second, double secondTop)
    {
        f[9] = (float)second;
        f[10] = secondTop > 0 ? (float)(second / secondTop) : 0;
        f[0] = (float)score;
        f[1] = topScore > 0 ? (float)(score / topScore) : 0;
        f[2] = rank;
        f[3] = items.LogPopularity[item];
        f[4] = (float)((user.LastSeen - items.FirstSeen[item]) / Year);
        f[5] = (float)((user.MeanSeen - items.MeanSeen[item]) / Year);
        f[6] = double.IsNaN(items.Created[item]) ? float.NaN : (float)((user.LastSeen - items.Created[item]) / Year);
        f[7] = (float)Math.Log(1 + user.HistoryCount);
        float affinity = 0;
        foreach (var tag in items.Tags[item])
        {
            affinity += tagShares[tag];
        }

        f[8] = affinity;
    }
}
