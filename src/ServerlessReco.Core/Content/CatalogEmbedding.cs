using System.Diagnostics;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Content;

/// <summary>
/// What one embedding run did: the items with a vector, how many distinct texts went through the model, how many items'
/// vectors came from the cache, and how many items with text are still without one (the budget ran out: later runs embed them).
/// </summary>
public sealed record ContentBuild(ContentEmbeddings Embeddings, int Items, int Embedded, int Reused, double Seconds)
{
    public int Pending { get; init; }

    /// <summary>The catalogue the vectors were built from (every item, available or not): the content challenger serves its hold-out against it.</summary>
    public required IReadOnlyList<CatalogItem> Catalogue { get; init; }
}

/// <summary>The vectors of a list of items, in order, how many texts were embedded now or reused from the cache, and how many items wait for a later run.</summary>
public sealed record EmbeddedItems(IReadOnlyList<string> Ids, IReadOnlyList<float[]> Vectors, int Embedded, int Reused)
{
    public int Pending { get; init; }
}

/// <summary>
/// The retrain's embed step: every catalogue item's text (<see cref="ItemText"/>) as a vector, through the cache in the
/// model blob store (<see cref="EmbeddingCache"/>), so only new or changed texts go through the transformer; then
/// reduced and encoded for the artifact (<see cref="ContentEmbeddings"/>). A run embeds for at most
/// <see cref="ContentOptions.EmbeddingBudget"/>, saving chunks of the cache as it goes.
/// </summary>
public sealed class CatalogEmbedding(IItemStore items, IItemEmbedder embedder, IModelBlobStore store, ContentOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IItemEmbedder Embedder => embedder;

    public ContentOptions Options => options;

    /// <summary>The catalogue's content vectors for the artifact, or null when no item has an informative text.</summary>
    public async Task<ContentBuild?> BuildAsync(CancellationToken cancellationToken = default) =>
        (await BuildOrExplainAsync(cancellationToken).ConfigureAwait(false)).Build;

    /// <summary>
    /// The content vectors of the items whose texts carry information (<see cref="TextInformation"/>: placeholders and
    /// ids are not embedded), or null and why none: no text, or none that tells items apart.
    /// </summary>
    public async Task<(ContentBuild? Build, string? WhyNone)> BuildOrExplainAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var catalogue = new List<CatalogItem>();
        await foreach (var item in items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            catalogue.Add(item);
        }

        var (informative, whyNone) = TextInformation.Select(catalogue);
        if (whyNone is not null)
        {
            return (null, whyNone);
        }

        var embedded = await EmbedAsync(informative, cancellationToken).ConfigureAwait(false);
        if (embedded.Ids.Count == 0)
        {
            return (null, "no item text was embedded within the budget yet");
        }

        var content = ContentEmbeddings.Build(embedded.Ids, embedded.Vectors, options);
        return (new ContentBuild(content, embedded.Ids.Count, embedded.Embedded, embedded.Reused, clock.Elapsed.TotalSeconds) { Pending = embedded.Pending, Catalogue = catalogue }, null);
    }

    /// <summary>
    /// The full-length vectors of <paramref name="catalogue"/>'s items that have text, embedding only texts the cache
    /// lacks, within the budget; items whose text was not reached are left out (<see cref="EmbeddedItems.Pending"/>).
    /// Once every text has a vector, the cache is rewritten (holding this catalogue's texts only) when anything was
    /// embedded, dropped, damaged or waiting in chunks.
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

        var embedded = await EmbedWithinBudgetAsync(cache, [.. missing], cancellationToken).ConfigureAwait(false);
        var kept = cache.Keep(texts.Select(t => t.Key));
        if (embedded == missing.Count && (missing.Count > 0 || kept.Count != cache.Count || cache.NeedsRewrite))
        {
            await kept.SaveAsync(store, embedder.Name, cancellationToken).ConfigureAwait(false);
        }

        var ids = new List<string>(texts.Count);
        var result = new List<float[]>(texts.Count);
        foreach (var (id, key) in texts)
        {
            if (kept.TryGet(key, out var half))
            {
                ids.Add(id);
                result.Add([.. half.Select(h => (float)h)]);
            }
        }

        return new EmbeddedItems(ids, result, embedded, reused) { Pending = texts.Count - ids.Count };
    }

    /// <summary>
    /// Embeds <paramref name="missing"/> batch by batch into <paramref name="cache"/> until done or the budget is spent
    /// (at least one batch per run), saving a chunk every save interval and at the end; returns how many texts it embedded.
    /// </summary>
    private async Task<int> EmbedWithinBudgetAsync(EmbeddingCache cache, List<KeyValuePair<UInt128, string>> missing, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var lastSave = started;
        var unsaved = new List<UInt128>();
        var done = 0;
        while (done < missing.Count && (done == 0 || _clock.GetElapsedTime(started) < options.EmbeddingBudget))
        {
            var batch = missing.GetRange(done, Math.Min(options.EmbeddingBatch, missing.Count - done));
            var vectors = embedder.Embed([.. batch.Select(p => p.Value)], cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                cache.Set(batch[i].Key, vectors[i]);
                unsaved.Add(batch[i].Key);
            }

            done += batch.Count;
            var finished = done == missing.Count || _clock.GetElapsedTime(started) >= options.EmbeddingBudget;
            if (!finished && _clock.GetElapsedTime(lastSave) >= options.EmbeddingSaveInterval)
            {
                await cache.SaveChunkAsync(store, embedder.Name, unsaved, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                (unsaved, lastSave) = ([], _clock.GetTimestamp());
            }
        }

        if (done < missing.Count && unsaved.Count > 0)
        {
            // Stopped by the budget: keep this run's work for the next (a finished run saves the whole cache instead).
            await cache.SaveChunkAsync(store, embedder.Name, unsaved, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return done;
    }
}
