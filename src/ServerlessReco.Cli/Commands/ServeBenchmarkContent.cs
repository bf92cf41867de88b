using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Embedded;
using ServerlessReco.Embeddings;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// The content vectors the serving benchmark's artifacts carry, built as the retrain builds them
/// (<see cref="ContentEmbeddings.Build"/> with the default <see cref="ContentOptions"/>: 128 directions, 8-bit).
/// </summary>
internal static class ServeBenchmarkContent
{
    /// <summary>
    /// The catalogue's texts through the real embedder (all-MiniLM-L6-v2) and the retrain's embed step, cached in
    /// <c>content-cache</c> under <paramref name="outDir"/> (the cold-item benchmark's cache), so reruns embed nothing.
    /// </summary>
    public static async Task<ContentEmbeddings?> EmbedAsync(IReadOnlyList<CatalogItem> catalogue, string outDir, TextWriter output, CancellationToken cancellationToken)
    {
        using var embedder = new MiniLmItemEmbedder();
        var cache = new FolderModelBlobStore(Path.Combine(outDir, "content-cache"));
        var build = await new CatalogEmbedding(new MemoryItemStore(catalogue), embedder, cache, new ContentOptions { EmbeddingBudget = TimeSpan.MaxValue }).BuildAsync(cancellationToken);
        if (build is not null)
        {
            output.WriteLine($"content: {build.Items:N0} items, {build.Embedded:N0} texts embedded by {embedder.Name}, {build.Reused:N0} from the cache, {build.Seconds:F1} s");
        }

        return build?.Embeddings;
    }

    /// <summary>
    /// Seeded random unit vectors of the transformer's width (384) for <paramref name="ids"/>, reduced and encoded as the
    /// retrain does: serving's cost depends on the vectors' shape (count, 128 directions, 8-bit), not on their values,
    /// and embedding 100,000 texts would take about 8 minutes.
    /// </summary>
    public static ContentEmbeddings Random(IReadOnlyList<string> ids, int seed = 7)
    {
        var random = new Random(seed);
        var vectors = new float[ids.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new float[384];
            for (var d = 0; d < 384; d++)
            {
                vectors[i][d] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        return ContentEmbeddings.Build(ids, vectors, new ContentOptions());
    }

    /// <summary>A copy of <paramref name="artifact"/> carrying <paramref name="content"/>, as the retrain attaches it.</summary>
    public static ModelArtifact With(ModelArtifact artifact, ContentEmbeddings content) => WithAttachment(artifact, ContentEmbeddings.AttachmentName, content.ToBytes());

    /// <summary>A copy of <paramref name="artifact"/> (saved and loaded, as serving reads it) with one more attachment.</summary>
    public static ModelArtifact WithAttachment(ModelArtifact artifact, string name, byte[] payload)
    {
        using var bytes = new MemoryStream();
        artifact.Save(bytes);
        bytes.Position = 0;
        var copy = ModelArtifact.Load(bytes);
        copy.Attach(name, payload);
        return copy;
    }

    /// <summary>
    /// How many catalogue items only content can score (available, and unknown to the model or known from fewer than 3
    /// shoppers): what each request's content scan reads.
    /// </summary>
    public static int ColdItems(ModelArtifact artifact, IReadOnlyList<CatalogItem> catalogue, ContentEmbeddings content) =>
        catalogue.Count(c => c.Available && content.Items.TryGetIndex(c.ItemId, out _)
            && (!artifact.Model.Items.TryGetIndex(c.ItemId, out var m) || artifact.ItemPopularity[m] < 3));
}
