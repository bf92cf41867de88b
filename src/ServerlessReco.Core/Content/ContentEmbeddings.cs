using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Content;

/// <summary>
/// Every catalogue item's content vector as a model artifact carries it (attachment <see cref="AttachmentName"/>): unit
/// length after an optional projection on principal directions, stored as 8-bit codes with one scale per item, or as
/// floats. Cosine of two items is the dot product of their vectors. Immutable and thread-safe.
/// </summary>
public sealed class ContentEmbeddings
{
    public const string AttachmentName = "content-embeddings";
    private const int FormatVersion = 1;

    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly float[] _floats;

    private ContentEmbeddings(IdIndex items, int dimensions, sbyte[] codes, float[] scales, float[] floats)
    {
        (Items, Dimensions, _codes, _scales, _floats) = (items, dimensions, codes, scales, floats);
    }

    /// <summary>The items with a vector (every catalogue item with some text at the retrain).</summary>
    public IdIndex Items { get; }

    public int Dimensions { get; }

    public bool EightBit => _codes.Length > 0 || _floats.Length == 0;

    /// <summary>The vectors of <paramref name="ids"/> (one each, from the embedder), reduced and encoded as <paramref name="options"/> say.</summary>
    public static ContentEmbeddings Build(IReadOnlyList<string> ids, IReadOnlyList<float[]> vectors, ContentOptions options)
    {
        var reduced = vectors;
        // Fewer items than directions cannot be fitted: such a catalogue keeps the model's own vectors.
        if (options.Dimensions > 0 && vectors.Count > options.Dimensions)
        {
            var directions = PrincipalDirections.Fit(vectors, Math.Min(options.Dimensions, vectors[0].Length));
            reduced = [.. vectors.Select(v => directions.Project(v))];
        }

        var d = reduced.Count > 0 ? reduced[0].Length : 0;
        var n = reduced.Count;
        var codes = options.EightBit ? new sbyte[n * d] : [];
        var scales = options.EightBit ? new float[n] : [];
        var floats = options.EightBit ? [] : new float[n * d];
        for (var i = 0; i < n; i++)
        {
            var unit = Normalised(reduced[i]);
            if (options.EightBit)
            {
                scales[i] = Quantise(unit, codes.AsSpan(i * d, d));
            }
            else
            {
                unit.CopyTo(floats.AsSpan(i * d, d));
            }
        }

        return new ContentEmbeddings(new IdIndex(ids), d, codes, scales, floats);
    }

    /// <summary>The item's unit vector (decoded), written to <paramref name="vector"/>.</summary>
    public void Decode(int item, Span<float> vector)
    {
        if (!EightBit)
        {
            _floats.AsSpan(item * Dimensions, Dimensions).CopyTo(vector);
            return;
        }

        var codes = _codes.AsSpan(item * Dimensions, Dimensions);
        var scale = _scales[item];
        for (var i = 0; i < codes.Length; i++)
        {
            vector[i] = codes[i] * scale;
        }
    }

    /// <summary>The item's vector dotted with <paramref name="query"/> (a cosine when the query has unit length).</summary>
    public float Dot(int item, ReadOnlySpan<float> query)
    {
        if (!EightBit)
        {
            return PrincipalDirections.Dot(_floats.AsSpan(item * Dimensions, Dimensions), query);
        }

        return DotCodes(_codes.AsSpan(item * Dimensions, Dimensions), query) * _scales[item];
    }

    /// <summary>
    /// 8-bit codes dotted with floats, a vector register at a time: serving scans every cold item's codes per list, and
    /// reading the codes (a byte a number) rather than decoded floats moves a quarter of the memory.
    /// </summary>
    private static float DotCodes(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> query)
    {
        var sum = Vector<float>.Zero;
        var width = Vector<float>.Count;
        var i = 0;
        for (; i <= codes.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
        {
            // Bytes to shorts to ints, in order: four runs of Vector<float>.Count numbers each.
            Vector.Widen(new Vector<sbyte>(codes[i..]), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            sum += (Vector.ConvertToSingle(a) * new Vector<float>(query[i..]))
                + (Vector.ConvertToSingle(b) * new Vector<float>(query[(i + width)..]))
                + (Vector.ConvertToSingle(c) * new Vector<float>(query[(i + (2 * width))..]))
                + (Vector.ConvertToSingle(d) * new Vector<float>(query[(i + (3 * width))..]));
        }

        var result = Vector.Sum(sum);
        for (; i < codes.Length; i++)
        {
            result += codes[i] * query[i];
        }

        return result;
    }

    /// <summary>Bytes the vectors take in the artifact (codes and scales, or floats; ids not counted).</summary>
    public long VectorBytes => _codes.Length + (_scales.Length * 4L) + (_floats.Length * 4L);

    /// <summary>The embeddings an artifact carries, or null for one trained without content.</summary>
    public static ContentEmbeddings? From(ModelArtifact artifact) =>
        artifact.Attachments.TryGetValue(AttachmentName, out var payload) ? FromBytes(payload) : null;

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(Items.Count);
            foreach (var id in Items.Ids)
            {
                writer.Write(id);
            }

            writer.Write(Dimensions);
            writer.Write(EightBit);
            writer.Write(MemoryMarshal.AsBytes(_scales.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(_codes.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(_floats.AsSpan()));
        }

        return buffer.ToArray();
    }

    public static ContentEmbeddings FromBytes(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (reader.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("Unknown content embedding format.");
        }

        var n = reader.ReadInt32();
        var ids = new string[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = reader.ReadString();
        }

        var d = reader.ReadInt32();
        var eightBit = reader.ReadBoolean();
        var scales = eightBit ? Read<float>(reader, n) : [];
        var codes = eightBit ? Read<sbyte>(reader, n * d) : [];
        var floats = eightBit ? [] : Read<float>(reader, n * d);
        return new ContentEmbeddings(new IdIndex(ids), d, codes, scales, floats);
    }

    private static T[] Read<T>(BinaryReader reader, int length)
        where T : unmanaged
    {
        var values = new T[length];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException("The content embeddings are truncated.");
        }

        return values;
    }

    private static float[] Normalised(float[] vector)
    {
        var norm = MathF.Sqrt(PrincipalDirections.Dot(vector, vector));
        return norm > 0 ? [.. vector.Select(x => x / norm)] : vector;
    }

    /// <summary>Symmetric 8-bit codes for a unit vector; returns the scale that decodes them.</summary>
    private static float Quantise(float[] unit, Span<sbyte> codes)
    {
        var max = unit.Length == 0 ? 0 : unit.Max(MathF.Abs);
        var scale = max > 0 ? max / 127f : 1f;
        for (var i = 0; i < unit.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(unit[i] / scale), -127, 127);
        }

        return scale;
    }
}
