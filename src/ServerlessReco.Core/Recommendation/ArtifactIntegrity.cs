using System.Security.Cryptography;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// What makes a model file trustworthy before it serves: a SHA-256 of every byte before it as the file's trailer (a
/// truncated or damaged blob fails it), and the length of every array declared in the manifest and checked against the
/// model kind's rules before anything is allocated (so a file that was written inconsistent is refused at load, not
/// found out by every request that scores it).
/// </summary>
public static class ArtifactIntegrity
{
    public const int HashBytes = 32;

    /// <summary>The array lengths of <paramref name="artifact"/> as its manifest declares them.</summary>
    public static IReadOnlyDictionary<string, long> ShapesOf(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var shapes = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["items"] = artifact.Model.Items.Count,
            ["popularity"] = artifact.ItemPopularity.Length,
        };
        switch (artifact.Model)
        {
            case SarModel sar:
                (shapes["rowStart"], shapes["neighbors"], shapes["similarities"]) = (sar.RowStart.Length, sar.Neighbors.Length, sar.Similarities.Length);
                break;
            case EaseModel ease:
                shapes["weights"] = ease.Weights.Length;
                break;
            case SequenceModel sequence:
                shapes["weights"] = sequence.Weights.Length;
                (shapes["transitionStart"], shapes["transitionTargets"], shapes["transitionRates"]) =
                    (sequence.TransitionStart.Length, sequence.TransitionTargets.Length, sequence.TransitionRates.Length);
                break;
        }

        foreach (var (name, payload) in artifact.Attachments)
        {
            shapes[$"attachment:{name}"] = payload.Length;
        }

        return shapes;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first declared shape that does not fit the model kind.</summary>
    public static void CheckShapes(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var shapes = manifest.Shapes ?? throw new InvalidDataException("The model file declares no array shapes.");
        var items = Shape(shapes, "items");
        Require(Shape(shapes, "popularity") == items, "one popularity per item");
        switch (ModelKinds.TryParse(manifest.ModelKind, out var kind) ? kind : ModelKind.Auto)
        {
            case ModelKind.Sar:
                Require(Shape(shapes, "rowStart") == items + 1, "SAR row starts: one per item and one more");
                Require(Shape(shapes, "neighbors") == Shape(shapes, "similarities"), "SAR: one similarity per neighbour");
                break;
            case ModelKind.Ease:
                Require(Shape(shapes, "weights") == (long)items * items, "EASE weights: items × items");
                break;
            case ModelKind.Sequence:
                Require(Shape(shapes, "weights") == (long)items * items, "sequence weights: items × items");
                Require(Shape(shapes, "transitionStart") == items + 1, "sequence transition starts: one per item and one more");
                Require(Shape(shapes, "transitionTargets") == Shape(shapes, "transitionRates"), "sequence: one rate per transition");
                break;
            default:
                throw new InvalidDataException($"Unknown model kind '{manifest.ModelKind}'.");
        }
    }

    /// <summary>The declared length of one array; throws when it is not declared or out of range.</summary>
    public static int Shape(IReadOnlyDictionary<string, long> shapes, string name)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        return shapes.TryGetValue(name, out var length) && length >= 0 && length <= Array.MaxLength
            ? (int)length
            : throw new InvalidDataException($"The model file declares no valid length for '{name}'.");
    }

    private static void Require(bool holds, string rule)
    {
        if (!holds)
        {
            throw new InvalidDataException($"The model file's array shapes break a rule: {rule}.");
        }
    }
}

/// <summary>Passes reads or writes through to another stream and hashes every byte that passes (SHA-256).</summary>
internal sealed class HashingStream(Stream inner, bool writing) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public override bool CanRead => !writing;
    public override bool CanSeek => false;
    public override bool CanWrite => writing;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The hash of everything that passed so far.</summary>
    public byte[] Hash() => _hash.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose(); // the inner stream belongs to the caller
        }

        base.Dispose(disposing);
    }
}
