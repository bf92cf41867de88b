using System.Diagnostics;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Content;

/// <summary>What one embedding run did: the items with a vector, how many distinct texts went through the model, how many items' vectors came from the cache.</summary>
public sealed record ContentBuild(ContentEmbeddings Embeddings, int Items, int Embedded, int Reused, double Seconds);

/// <summary>The vectors of a list of items, in order, and how many texts were embedded now or reused from the cache.</summary>
public sealed record EmbeddedItems(IReadOnlyList<string> Ids, IReadOnlyList<float[]> Vectors, int Embedded, int Reused);

/// <summary>
/// The retrain's embed step: every catalogue item's text (<see cref="ItemText"/>) as a vector, through the cache in the
/// model blob store (<see cref="EmbeddingCache"/>), so only new or changed texts go through the transformer; then
/// reduced and encoded for the artifact (<see cref="ContentEmbeddings"/>).
/// </summary>
public sealed class CatalogEmbedding(IItemStore items, IItemEmbedder embedder, IModelBlobStore store, ContentOptions options)
{
    public IItemEmbedder Embedder => embedder;

    /// <summary>The catalogue's content vectors for the artifact, or null when no item has any text.</summary>
    public async Task<ContentBuild?> BuildAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var catalogue = new List<CatalogItem>();
        await foreach (var item in items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            catalogue.Add(item);
        }

        var embedded = await EmbedAsync(catalogue, cancellationToken).ConfigureAwait(false);
        if (embedded.Ids.Count == 0)
        {
            return null;
        }

        var content = ContentEmbeddings.Build(embedded.Ids, embedded.Vectors, options);
        return new ContentBuild(content, embedded.Ids.Count, embedded.Embedded, embedded.Reused, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The full-length vectors of <paramref name="catalogue"/>'s items that have text, embedding only texts the cache
    /// lacks; the cache is rewritten (holding this catalogue's texts only) when anything was embedded or dropped.
    /// </summary>
    public async Task<EmbeddedItems> EmbedAsync(IReadOnlyList<CatalogItem> catalogue, CancellationToken cancellationToken = default)
    {
        var texts = new List<(string Id, UInt128 Key)>(catalogue.Count);
        var missing = new Dictionary<UInt128, string>();
        var reused = 0;
        var cache = await EmbeddingCache.LoadAsync(store, embedder.Name, embedder.Dimensions, cancellationToken).ConfigureAwait(false);
        foreach (var item in catalogue)
        {
            if (ItemText.Of(item) is not { } text)
            {
                continue;
            }

            var key = ItemText.Hash(text);
            texts.Add((item.ItemId, key));
            if (cache.TryGet(key, out _))
            {
                reused++;
            }
            else
            {
                missing.TryAdd(key, text);
            }
        }

        if (missing.Count > 0)
        {
            var vectors = embedder.Embed([.. missing.Values], cancellationToken);
            var i = 0;
            foreach (var key in missing.Keys)
            {
                cache.Set(key, vectors[i++]);
            }
        }

        var kept = cache.Keep(texts.Select(t => t.Key));
        if (missing.Count > 0 || kept.Count != cache.Count)
        {
            await kept.SaveAsync(store, embedder.Name, cancellationToken).ConfigureAwait(false);
        }

        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            kept.TryGet(texts[i].Key, out var half);
            result[i] = [.. half.Select(h => (float)h)];
        }

        return new EmbeddedItems([.. texts.Select(t => t.Id)], result, missing.Count, reused);
    }
}
