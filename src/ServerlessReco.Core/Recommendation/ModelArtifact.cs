using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// A trained model with everything serving needs (item ids, popularity for the fallback, the event weights
/// and decay to fold a user's recent events in) and its manifest. Saved as one stream: a magic header, the
/// format version, the manifest as JSON (with the length of every array), then the binary weights, then a SHA-256 of
/// everything before it; so the Blob store or a folder can hold it, and a damaged copy is refused at load.
/// </summary>
public sealed class ModelArtifact
{
    public const int CurrentFormatVersion = 2;

    /// <summary>Format 1: no shapes, no checksum (files published before both; still loaded).</summary>
    private const int UncheckedFormatVersion = 1;
    internal const string TrainerName = "ServerlessReco.Core";
    private static readonly byte[] Magic = "SRECOMDL"u8.ToArray();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public ModelArtifact(ModelManifest manifest, IItemScorer model, int[] itemPopularity)
    {
        if (itemPopularity.Length != model.Items.Count)
        {
            throw new ArgumentException("One popularity per item.", nameof(itemPopularity));
        }

        Manifest = manifest;
        Model = model;
        ItemPopularity = itemPopularity;
    }

    public ModelManifest Manifest { get; private set; }
    public IItemScorer Model { get; }
    public TrainingOptions Training => Manifest.Training;

    /// <summary>Distinct training users per item.</summary>
    public int[] ItemPopularity { get; }

    /// <summary>
    /// Named extra payloads saved with the model, e.g. a re-ranker serialised by another library, so that one
    /// stream holds everything a serving instance needs.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Attachments => _attachments;

    private readonly Dictionary<string, byte[]> _attachments = new(StringComparer.Ordinal);

    public void Attach(string name, byte[] payload) => _attachments[name] = payload;

    /// <summary>How long <see cref="Load"/> took, when this artifact was loaded.</summary>
    public TimeSpan? LoadTime { get; private set; }

    public static string TrainerVersion =>
        typeof(ModelArtifact).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Adds or replaces metrics in the manifest (e.g. after an offline evaluation).</summary>
    public void AddMetrics(IReadOnlyDictionary<string, double> metrics)
    {
        var merged = new Dictionary<string, double>(Manifest.Metrics);
        foreach (var (k, v) in metrics)
        {
            merged[k] = v;
        }

        Manifest = Manifest with { Metrics = merged };
    }

    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var hashing = new HashingStream(stream, writing: true))
        {
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                WriteBody(writer);
            }

            stream.Write(hashing.Hash());
        }
    }

    private void WriteBody(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(CurrentFormatVersion);
        writer.Write(JsonSerializer.Serialize(Manifest with { FormatVersion = CurrentFormatVersion, Shapes = ArtifactIntegrity.ShapesOf(this) }, Json));
        writer.Write(Model.Items.Count);
        foreach (var id in Model.Items.Ids)
        {
            writer.Write(id);
        }

        WriteArray(writer, ItemPopularity);
        switch (Model)
        {
            case SarModel sar:
                WriteArray(writer, sar.RowStart);
                WriteArray(writer, sar.Neighbors);
                WriteArray(writer, sar.Similarities);
                break;
            case EaseModel ease:
                WriteArray(writer, ease.Weights);
                break;
            case SequenceModel sequence:
                WriteArray(writer, sequence.Weights);
                WriteArray(writer, sequence.TransitionStart);
                WriteArray(writer, sequence.TransitionTargets);
                WriteArray(writer, sequence.TransitionRates);
                break;
            default:
                throw new NotSupportedException($"No file format for model '{Model.Name}'.");
        }

        writer.Write(_attachments.Count);
        foreach (var (name, payload) in _attachments)
        {
            writer.Write(name);
            WriteArray(writer, payload);
        }
    }

    /// <summary>Reads just the manifest (the start of the stream).</summary>
    public static ModelManifest ReadManifest(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        return ReadHeader(reader);
    }

    /// <summary>
    /// Loads a model file; throws <see cref="InvalidDataException"/> (or <see cref="EndOfStreamException"/>) when it is not
    /// one, its array shapes do not fit its model kind, or its checksum does not match its bytes.
    /// </summary>
    public static ModelArtifact Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var clock = Stopwatch.StartNew();
        using var hashing = new HashingStream(stream, writing: false);
        using var reader = new BinaryReader(hashing, Encoding.UTF8, leaveOpen: true);
        var manifest = ReadHeader(reader);
        var isChecked = manifest.FormatVersion != UncheckedFormatVersion;
        if (isChecked)
        {
            ArtifactIntegrity.CheckShapes(manifest);
        }

        var shapes = isChecked ? manifest.Shapes : null;

        var artifact = ReadBody(reader, manifest, shapes);
        if (shapes is not null)
        {
            VerifyChecksum(stream, hashing.Hash());
        }

        artifact.LoadTime = clock.Elapsed;
        return artifact;
    }

    private static ModelArtifact ReadBody(BinaryReader reader, ModelManifest manifest, IReadOnlyDictionary<string, long>? shapes)
    {
        var count = reader.ReadInt32();
        if (shapes is not null && count != ArtifactIntegrity.Shape(shapes, "items"))
        {
            throw new InvalidDataException($"The model file holds {count} items but declares {shapes["items"]}.");
        }

        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = reader.ReadString();
        }

        var items = new IdIndex(ids);
        var popularity = ReadArray<int>(reader, shapes, "popularity");
        IItemScorer model = (ModelKinds.TryParse(manifest.ModelKind, out var kind) ? kind : ModelKind.Auto) switch
        {
            ModelKind.Sar => new SarModel(
                items, ReadArray<int>(reader, shapes, "rowStart"), ReadArray<int>(reader, shapes, "neighbors"), ReadArray<double>(reader, shapes, "similarities"),
                Options<SarOptions>(manifest)),
            ModelKind.Ease => new EaseModel(items, ReadArray<float>(reader, shapes, "weights"), Options<EaseOptions>(manifest)),
            ModelKind.Sequence => new SequenceModel(
                items, ReadArray<float>(reader, shapes, "weights"), ReadArray<int>(reader, shapes, "transitionStart"),
                ReadArray<int>(reader, shapes, "transitionTargets"), ReadArray<float>(reader, shapes, "transitionRates"), Options<SequenceOptions>(manifest)),
            _ => throw new InvalidDataException($"Unknown model kind '{manifest.ModelKind}'."),
        };
        var artifact = new ModelArtifact(manifest, model, popularity);
        var attachments = reader.ReadInt32();
        for (var i = 0; i < attachments; i++)
        {
            var name = reader.ReadString();
            artifact.Attach(name, ReadArray<byte>(reader, shapes, $"attachment:{name}"));
        }

        return artifact;
    }

    /// <summary>The trailer after the body (read past the hash) must be the hash of the body.</summary>
    private static void VerifyChecksum(Stream stream, byte[] computed)
    {
        var stored = new byte[ArtifactIntegrity.HashBytes];
        stream.ReadExactly(stored);
        if (!CryptographicOperations.FixedTimeEquals(stored, computed))
        {
            throw new InvalidDataException("The model file's SHA-256 does not match its bytes: it is damaged or incomplete.");
        }
    }

    private static T Options<T>(ModelManifest manifest)
        where T : new() =>
        manifest.ModelOptions is { } element ? element.Deserialize<T>(Json) ?? new T() : new T();

    private static ModelManifest ReadHeader(BinaryReader reader)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a ServerlessReco model file.");
        }

        var version = reader.ReadInt32();
        if (version is not (CurrentFormatVersion or UncheckedFormatVersion))
        {
            throw new InvalidDataException($"Model format {version} is not supported (this build reads {UncheckedFormatVersion} and {CurrentFormatVersion}).");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(reader.ReadString(), Json)
                ?? throw new InvalidDataException("The model manifest is empty.");
            return manifest with { FormatVersion = version };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The model manifest is not valid JSON.", e);
        }
    }

    private static void WriteArray<T>(BinaryWriter writer, T[] values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>An array whose length must be the declared one (when the file declares shapes), checked before it is allocated.</summary>
    private static T[] ReadArray<T>(BinaryReader reader, IReadOnlyDictionary<string, long>? shapes, string name)
        where T : unmanaged
    {
        var length = reader.ReadInt32();
        if (shapes is not null && length != ArtifactIntegrity.Shape(shapes, name))
        {
            throw new InvalidDataException($"The model file's '{name}' holds {length} values but its manifest declares {shapes[name]}.");
        }

        var values = new T[length];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        var read = 0;
        while (read < bytes.Length)
        {
            var n = reader.Read(bytes[read..]);
            if (n == 0)
            {
                throw new EndOfStreamException("The model file is truncated.");
            }

            read += n;
        }

        return values;
    }
}
