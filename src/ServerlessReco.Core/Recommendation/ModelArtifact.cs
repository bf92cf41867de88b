using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// What a model file says about itself, readable without loading the weights: format version, model kind,
/// what trained it and with which settings, the data window, and its offline metrics.
/// </summary>
public sealed record ModelManifest
{
    public int FormatVersion { get; init; } = ModelArtifact.CurrentFormatVersion;
    public required string ModelKind { get; init; }
    public required string Version { get; init; }
    public DateTimeOffset TrainedAt { get; init; }
    public string Trainer { get; init; } = ModelArtifact.TrainerName;
    public double TrainingSeconds { get; init; }
    public int Users { get; init; }
    public int Items { get; init; }
    public required TrainingOptions Training { get; init; }
    public TrainingDataSummary? Data { get; init; }
    public JsonElement? ModelOptions { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// A trained model with everything serving needs (item ids, popularity for the fallback, the event weights
/// and decay to fold a user's recent events in) and its manifest. Saved as one stream: a magic header, the
/// format version, the manifest as JSON, then the binary weights; so the Blob store or a folder can hold it.
/// </summary>
public sealed class ModelArtifact
{
    public const int CurrentFormatVersion = 1;
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
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(CurrentFormatVersion);
        writer.Write(JsonSerializer.Serialize(Manifest, Json));
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

    public static ModelArtifact Load(Stream stream)
    {
        var clock = Stopwatch.StartNew();
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var manifest = ReadHeader(reader);
        var count = reader.ReadInt32();
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = reader.ReadString();
        }

        var items = new IdIndex(ids);
        var popularity = ReadArray<int>(reader);
        IItemScorer model = (ModelKinds.TryParse(manifest.ModelKind, out var kind) ? kind : ModelKind.Auto) switch
        {
            ModelKind.Sar => new SarModel(items, ReadArray<int>(reader), ReadArray<int>(reader), ReadArray<double>(reader), Options<SarOptions>(manifest)),
            ModelKind.Ease => new EaseModel(items, ReadArray<float>(reader), Options<EaseOptions>(manifest)),
            ModelKind.Sequence => new SequenceModel(
                items, ReadArray<float>(reader), ReadArray<int>(reader), ReadArray<int>(reader), ReadArray<float>(reader), Options<SequenceOptions>(manifest)),
            _ => throw new InvalidDataException($"Unknown model kind '{manifest.ModelKind}'."),
        };
        var artifact = new ModelArtifact(manifest, model, popularity);
        var attachments = reader.ReadInt32();
        for (var i = 0; i < attachments; i++)
        {
            artifact.Attach(reader.ReadString(), ReadArray<byte>(reader));
        }

        artifact.LoadTime = clock.Elapsed;
        return artifact;
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
        if (version != CurrentFormatVersion)
        {
            throw new InvalidDataException($"Model format {version} is not supported (this build reads {CurrentFormatVersion}).");
        }

        return JsonSerializer.Deserialize<ModelManifest>(reader.ReadString(), Json)
            ?? throw new InvalidDataException("The model manifest is empty.");
    }

    private static void WriteArray<T>(BinaryWriter writer, T[] values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] ReadArray<T>(BinaryReader reader)
        where T : unmanaged
    {
        var length = reader.ReadInt32();
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
