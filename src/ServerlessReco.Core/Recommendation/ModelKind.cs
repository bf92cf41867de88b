using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// Which model to train, spelt <c>auto</c>, <c>ease</c>, <c>sar</c> or <c>sequence</c> everywhere: in settings
/// (<c>Reco__RetrainModel</c>), on the command line and in JSON. Any other spelling is refused with the choices.
/// </summary>
[JsonConverter(typeof(ModelKindJsonConverter))]
[TypeConverter(typeof(ModelKindTypeConverter))]
public enum ModelKind
{
    /// <summary>The kinds the catalogue allows, chosen on the hold-out: see <see cref="ModelKinds.AutoCandidates"/>.</summary>
    Auto,

    /// <summary>EASE: a dense item-item model, the most accurate up to about 12,000 items.</summary>
    Ease,

    /// <summary>SAR: bounded item neighbours, memory linear in items.</summary>
    Sar,

    /// <summary>The sequence model: EASE plus what follows what in shoppers' histories, scored on the recency-weighted history.</summary>
    Sequence,
}

/// <summary>The spelling of <see cref="ModelKind"/>, in one place.</summary>
public static class ModelKinds
{
    /// <summary>The accepted spellings, for messages.</summary>
    public const string Choices = "auto, ease, sar or sequence";

    /// <summary>
    /// What <c>auto</c> means, in one place: the kinds a catalogue of <paramref name="items"/> items allows, the default
    /// first. EASE and the sequence model while their dense matrices fit (<see cref="EaseOptions.MaxItems"/>,
    /// <see cref="SequenceOptions.MaxItems"/>), SAR beyond. A retrain fits every candidate on its hold-out and keeps the
    /// one the promotion gate's rule prefers (<c>RetrainGate.ChooseKind</c>); training without a hold-out (a benchmark,
    /// <see cref="Trainer.Train"/> called directly) takes the first.
    /// </summary>
    public static IReadOnlyList<ModelKind> AutoCandidates(int items, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return items > options.Ease.MaxItems ? [ModelKind.Sar]
            : items > options.Sequence.MaxItems ? [ModelKind.Ease]
            : [ModelKind.Ease, ModelKind.Sequence];
    }

    /// <summary>The kind as settings, manifests and reports spell it.</summary>
    public static string Name(this ModelKind kind) => kind switch
    {
        ModelKind.Auto => "auto",
        ModelKind.Ease => "ease",
        ModelKind.Sar => "sar",
        ModelKind.Sequence => "sequence",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"A model kind is {Choices}."),
    };

    public static bool TryParse(string? text, out ModelKind kind)
    {
        foreach (var candidate in Enum.GetValues<ModelKind>())
        {
            if (string.Equals(text?.Trim(), candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The kind spelt <paramref name="text"/>; a <see cref="FormatException"/> naming the choices otherwise.</summary>
    public static ModelKind Parse(string? text) =>
        TryParse(text, out var kind) ? kind : throw new FormatException($"'{text}' is not a model kind: use {Choices}.");
}

/// <summary>Reads and writes <see cref="ModelKind"/> as its name ("ease"), never as a number.</summary>
public sealed class ModelKindJsonConverter : JsonConverter<ModelKind>
{
    public override ModelKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && ModelKinds.TryParse(reader.GetString(), out var kind)
            ? kind
            : throw new JsonException($"A model kind is a string: {ModelKinds.Choices}.");

    public override void Write(Utf8JsonWriter writer, ModelKind value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Name());
    }
}

/// <summary>Lets configuration binding read <see cref="ModelKind"/> by its name only (no numbers), with the choices in the error.</summary>
public sealed class ModelKindTypeConverter : EnumConverter
{
    public ModelKindTypeConverter()
        : base(typeof(ModelKind))
    {
    }

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? ModelKinds.Parse(text) : base.ConvertFrom(context, culture, value)!;

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is ModelKind kind && destinationType == typeof(string) ? kind.Name() : base.ConvertTo(context, culture, value, destinationType);
}
