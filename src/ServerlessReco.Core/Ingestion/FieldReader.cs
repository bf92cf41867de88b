using System.Globalization;
using System.Text.Json;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// Reads typed fields from one JSON object of a batch and records, rather than throws, what is wrong,
/// so that one response can name every bad field of every bad element.
/// </summary>
internal sealed class FieldReader
{
    private readonly JsonElement _element;
    private readonly int? _index;
    private readonly List<ValidationError> _errors;

    public FieldReader(JsonElement element, int? index, List<ValidationError> errors, IReadOnlySet<string> knownFields)
    {
        _element = element;
        _index = index;
        _errors = errors;
        foreach (var property in element.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                Fail(property.Name, $"is not a known field (known: {string.Join(", ", knownFields)}).");
            }
        }
    }

    public void Fail(string field, string message) => _errors.Add(new ValidationError(_index, field, message));

    public string? Id(string field, bool required)
    {
        var text = String(field, IngestionLimits.MaxIdLength, required);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            Fail(field, "must not be empty.");
            return null;
        }

        if (text.Any(char.IsControl))
        {
            Fail(field, "must not contain control characters.");
            return null;
        }

        return text;
    }

    public string? String(string field, int maxLength, bool required)
    {
        if (!TryGet(field, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(field, $"must be a string, not {Describe(value)}.");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Fail(field, $"must be at most {maxLength} characters (it has {text.Length}).");
            return null;
        }

        return text;
    }

    public double? Number(string field, bool required)
    {
        if (!TryGet(field, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Fail(field, $"must be a number, not {Describe(value)}.");
            return null;
        }

        return number;
    }

    public bool? Boolean(string field)
    {
        if (!TryGet(field, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Fail(field, $"must be true or false, not {Describe(value)}.");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>An ISO 8601 date and time; without an offset it is taken as UTC.</summary>
    public DateTimeOffset? Timestamp(string field)
    {
        var text = String(field, 64, required: false);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp)
            || !char.IsAsciiDigit(text[0]))
        {
            Fail(field, $"must be an ISO 8601 date and time such as 2026-11-27T18:00:00Z, not '{text}'.");
            return null;
        }

        return timestamp;
    }

    public IReadOnlyList<string>? StringList(string field, int maxCount, int maxLength)
    {
        if (!TryGet(field, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Fail(field, $"must be an array of strings, not {Describe(value)}.");
            return null;
        }

        var list = new List<string>();
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String || entry.GetString() is not { } text || string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
            {
                Fail(field, $"must hold non-empty strings of at most {maxLength} characters.");
                return null;
            }

            list.Add(text);
        }

        if (list.Count > maxCount)
        {
            Fail(field, $"must hold at most {maxCount} entries (it has {list.Count}).");
            return null;
        }

        return list;
    }

    /// <summary>A small flat map of string to string.</summary>
    public IReadOnlyDictionary<string, string>? Properties(string field)
    {
        if (!TryGet(field, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(field, $"must be an object of string values, not {Describe(value)}.");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name.Length is 0 or > IngestionLimits.MaxPropertyKeyLength || property.Name.Any(char.IsControl))
            {
                Fail($"{field}.{property.Name}", $"keys must be 1 to {IngestionLimits.MaxPropertyKeyLength} characters without control characters.");
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Length > IngestionLimits.MaxPropertyValueLength)
            {
                Fail($"{field}.{property.Name}", $"must be a string of at most {IngestionLimits.MaxPropertyValueLength} characters.");
                return null;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        if (map.Count > IngestionLimits.MaxProperties)
        {
            Fail(field, $"must hold at most {IngestionLimits.MaxProperties} entries (it has {map.Count}).");
            return null;
        }

        return map;
    }

    /// <summary>Whether the object gives <paramref name="field"/> (null counts as not given).</summary>
    public bool Has(string field) => _element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    private bool TryGet(string field, bool required, out JsonElement value)
    {
        if (_element.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Fail(field, "is required.");
        }

        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
