using System.Runtime.InteropServices;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Content;

/// <summary>
/// The vectors of item texts already embedded, keyed by <see cref="ItemText.Hash"/>, kept in the model blob store beside
/// the models (<c>models/content-cache-{model}.bin</c>, half precision): a retrain embeds only texts that are new or
/// changed, and one with an unchanged catalogue embeds nothing. Each save keeps only the texts of the current catalogue,
/// so the cache does not grow with items long gone. While a run embeds, what it has embedded so far is saved as chunks
/// (<c>training/content-cache-{model}/{time}-{id}.bin</c>, the same format), so a run stopped by its budget or killed
/// keeps its work; loading reads the cache and its chunks, and the next full save folds the chunks in and deletes them.
/// A cache or chunk that cannot be read counts as empty and is rewritten: it costs embedding again, never a failed retrain.
/// </summary>
public sealed class EmbeddingCache
{
    private static readonly byte[] Magic = "SRECOEMB"u8.ToArray();
    private const int FormatVersion = 1;

    private readonly Dictionary<UInt128, Half[]> _vectors;

    private EmbeddingCache(int dimensions, Dictionary<UInt128, Half[]> vectors) => (Dimensions, _vectors) = (dimensions, vectors);

    public int Dimensions { get; }

    public int Count => _vectors.Count;

    private readonly List<string> _chunks = [];

    /// <summary>The chunks this cache was loaded with or saved since (folded into the next full save, then deleted).</summary>
    public IReadOnlyList<string> Chunks => _chunks;

    /// <summary>Whether the stored cache must be written again even if nothing changes: a part of it could not be read, or chunks wait to be folded in.</summary>
    public bool NeedsRewrite { get; private init; }

    /// <summary>The blob the cache of one embedding model lives in.</summary>
    public static string BlobName(string model) => $"models/content-cache-{Safe(model)}.bin";

    /// <summary>Where the chunks of one embedding model's cache live (outside <c>models/</c>, whose folders are versions).</summary>
    public static string ChunkPrefix(string model) => $"training/content-cache-{Safe(model)}/";

    public static EmbeddingCache Empty(int dimensions) => new(dimensions, []);

    public bool TryGet(UInt128 key, out Half[] vector) => _vectors.TryGetValue(key, out vector!);

    public void Set(UInt128 key, ReadOnlySpan<float> vector)
    {
        var half = new Half[vector.Length];
        for (var i = 0; i < half.Length; i++)
        {
            half[i] = (Half)vector[i];
        }

        _vectors[key] = half;
    }

    /// <summary>A cache holding only <paramref name="keys"/> (those this one has).</summary>
    public EmbeddingCache Keep(IEnumerable<UInt128> keys)
    {
        var kept = new Dictionary<UInt128, Half[]>();
        foreach (var key in keys)
        {
            if (_vectors.TryGetValue(key, out var vector))
            {
                kept[key] = vector;
            }
        }

        var copy = new EmbeddingCache(Dimensions, kept);
        copy._chunks.AddRange(_chunks);
        return copy;
    }

    /// <summary>
    /// The cache stored for <paramref name="model"/> with its chunks, or an empty one (none yet, another dimension); a
    /// part that cannot be read is left out and the result marked <see cref="NeedsRewrite"/>.
    /// </summary>
    public static async Task<EmbeddingCache> LoadAsync(IModelBlobStore store, string model, int dimensions, CancellationToken cancellationToken)
    {
        var (vectors, damaged) = await ReadBlobAsync(store, BlobName(model), dimensions, cancellationToken).ConfigureAwait(false);
        var chunks = new List<string>();
        await foreach (var name in store.ListAsync(ChunkPrefix(model), cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(name);
            var (chunk, _) = await ReadBlobAsync(store, name, dimensions, cancellationToken).ConfigureAwait(false);
            foreach (var (key, vector) in chunk)
            {
                vectors[key] = vector;
            }
        }

        var cache = new EmbeddingCache(dimensions, vectors) { NeedsRewrite = damaged || chunks.Count > 0 };
        cache._chunks.AddRange(chunks);
        return cache;
    }

    /// <summary>Writes the whole cache, then deletes the chunks it was loaded with (their vectors are in it now, as far as they are kept).</summary>
    public async Task SaveAsync(IModelBlobStore store, string model, CancellationToken cancellationToken)
    {
        await PutAsync(store, BlobName(model), cancellationToken).ConfigureAwait(false);
        foreach (var chunk in Chunks)
        {
            await store.DeleteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves <paramref name="keys"/>' vectors (embedded since the last chunk) as one new chunk.</summary>
    public async Task SaveChunkAsync(IModelBlobStore store, string model, IEnumerable<UInt128> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = $"{ChunkPrefix(model)}{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.bin";
        await Keep(keys).PutAsync(store, name, cancellationToken).ConfigureAwait(false);
        _chunks.Add(name);
    }

    private async Task PutAsync(IModelBlobStore store, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Dimensions);
            writer.Write(_vectors.Count);
            foreach (var (key, vector) in _vectors)
            {
                writer.Write((ulong)(key >> 64));
                writer.Write((ulong)key);
                writer.Write(MemoryMarshal.AsBytes(vector.AsSpan()));
            }
        }

        buffer.Position = 0;
        await store.PutAsync(name, buffer, BlobCondition.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The vectors of one blob (none when it is missing or of another dimension), and whether it could not be read.</summary>
    private static async Task<(Dictionary<UInt128, Half[]> Vectors, bool Damaged)> ReadBlobAsync(
        IModelBlobStore store, string name, int dimensions, CancellationToken cancellationToken)
    {
        using var download = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return ([], false);
        }

        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        try
        {
            return (Read(new BinaryReader(buffer), buffer.Length, dimensions), false);
        }
        catch (InvalidDataException)
        {
            return ([], true); // a damaged cache costs one full embedding run, never a failed retrain
        }
    }

    /// <summary>Throws <see cref="InvalidDataException"/> for anything that is not a whole cache file, before allocating for it.</summary>
    private static Dictionary<UInt128, Half[]> Read(BinaryReader reader, long length, int dimensions)
    {
        const int HeaderBytes = 8 + 4 + 4 + 4;
        if (length < HeaderBytes || !reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("Not an embedding cache.");
        }

        if (reader.ReadInt32() != dimensions)
        {
            return []; // another model's dimension: nothing to reuse, and nothing damaged
        }

        var count = reader.ReadInt32();
        var entryBytes = 16L + (2L * dimensions);
        if (count < 0 || HeaderBytes + (count * entryBytes) != length)
        {
            throw new InvalidDataException($"The embedding cache says {count} vectors but holds {length} bytes.");
        }

        var vectors = new Dictionary<UInt128, Half[]>(count);
        for (var i = 0; i < count; i++)
        {
            var key = new UInt128(reader.ReadUInt64(), reader.ReadUInt64());
            var vector = new Half[dimensions];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
            vectors[key] = vector;
        }

        return vectors;
    }

    private static string Safe(string model) => string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
}
