using System.Runtime.InteropServices;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Content;

/// <summary>
/// The vectors of item texts already embedded, keyed by <see cref="ItemText.Hash"/>, kept in the model blob store beside
/// the models (<c>models/content-cache-{model}.bin</c>, half precision): a retrain embeds only texts that are new or
/// changed, and one with an unchanged catalogue embeds nothing. Each save keeps only the texts of the current catalogue,
/// so the cache does not grow with items long gone.
/// </summary>
public sealed class EmbeddingCache
{
    private static readonly byte[] Magic = "SRECOEMB"u8.ToArray();
    private const int FormatVersion = 1;

    private readonly Dictionary<UInt128, Half[]> _vectors;

    private EmbeddingCache(int dimensions, Dictionary<UInt128, Half[]> vectors) => (Dimensions, _vectors) = (dimensions, vectors);

    public int Dimensions { get; }

    public int Count => _vectors.Count;

    /// <summary>The blob the cache of one embedding model lives in.</summary>
    public static string BlobName(string model) =>
        $"models/content-cache-{string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'))}.bin";

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

        return new EmbeddingCache(Dimensions, kept);
    }

    /// <summary>The cache stored for <paramref name="model"/>, or an empty one (none yet, another dimension, unreadable).</summary>
    public static async Task<EmbeddingCache> LoadAsync(IModelBlobStore store, string model, int dimensions, CancellationToken cancellationToken)
    {
        using var download = await store.GetAsync(BlobName(model), cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return Empty(dimensions);
        }

        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        try
        {
            return Read(new BinaryReader(buffer), dimensions);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            return Empty(dimensions); // a damaged cache costs one full embedding run, never a failed retrain
        }
    }

    public async Task SaveAsync(IModelBlobStore store, string model, CancellationToken cancellationToken)
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
        await store.PutAsync(BlobName(model), buffer, BlobCondition.None, cancellationToken).ConfigureAwait(false);
    }

    private static EmbeddingCache Read(BinaryReader reader, int dimensions)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion || reader.ReadInt32() != dimensions)
        {
            return Empty(dimensions);
        }

        var count = reader.ReadInt32();
        var vectors = new Dictionary<UInt128, Half[]>(count);
        for (var i = 0; i < count; i++)
        {
            var key = new UInt128(reader.ReadUInt64(), reader.ReadUInt64());
            var vector = new Half[dimensions];
            var bytes = MemoryMarshal.AsBytes(vector.AsSpan());
            if (reader.Read(bytes) != bytes.Length)
            {
                throw new EndOfStreamException("The embedding cache is truncated.");
            }

            vectors[key] = vector;
        }

        return new EmbeddingCache(dimensions, vectors);
    }
}
