using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// Validates JSON against the subset of OpenAPI 3.0 schema keywords that openapi.json uses. A keyword outside
/// the subset is reported as an error rather than skipped, so the document cannot quietly outgrow the checks.
/// </summary>
internal sealed class JsonSchemaValidator(JsonElement document)
{
    /// <summary>Keywords that only describe (checked by nothing here, and harmless to ignore).</summary>
    private static readonly HashSet<string> Annotations = ["description", "default", "title", "example"];

    private static readonly HashSet<string> Assertions =
    [
        "$ref", "type", "nullable", "enum", "required", "properties", "additionalProperties", "minProperties", "maxProperties",
        "items", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "oneOf",
    ];

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, each prefixed by its JSON path; empty when valid.</summary>
    public List<string> Validate(JsonElement value, JsonElement schema, string path = "$")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    /// <summary>The schema a <c>#/components/...</c> reference points to.</summary>
    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported, not '{reference}'.");
        }

        var target = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            if (!target.TryGetProperty(segment, out target))
            {
                throw new KeyNotFoundException($"The reference '{reference}' points nowhere.");
            }
        }

        return target;
    }

    private void Check(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject().Select(p => p.Name))
        {
            if (!Assertions.Contains(keyword) && !Annotations.Contains(keyword))
            {
                errors.Add($"{path}: the schema uses '{keyword}', which this validator does not support.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, Resolve(reference.GetString()!), path, errors);
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean()))
            {
                errors.Add($"{path}: is null, which the schema does not allow.");
            }

            return;
        }

        if (schema.TryGetProperty("oneOf", out var alternatives))
        {
            var matching = alternatives.EnumerateArray().Count(alternative => Validate(value, alternative, path).Count == 0);
            if (matching != 1)
            {
                errors.Add($"{path}: matches {matching} of the oneOf alternatives instead of exactly one.");
            }
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            errors.Add($"{path}: is {value.ValueKind}, not {type.GetString()}.");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {allowed.GetRawText()}.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(value, schema, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(value, schema, path, errors);
                break;
            case JsonValueKind.String:
                CheckString(value.GetString()!, schema, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(value.GetDouble(), schema, path, errors);
                break;
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new NotSupportedException($"Unknown schema type '{type}'."),
    };

    private void CheckObject(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        foreach (var name in schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : [])
        {
            if (!value.TryGetProperty(name, out _))
            {
                errors.Add($"{path}: lacks the required property '{name}'.");
            }
        }

        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            count++;
            var propertyPath = $"{path}.{property.Name}";
            if (schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(property.Value, propertySchema, propertyPath, errors);
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{propertyPath}: is not a property the schema declares.");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Check(property.Value, additional, propertyPath, errors);
                }
            }
        }

        CheckRange(count, schema, "minProperties", "maxProperties", "properties", path, errors);
    }

    private void CheckArray(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (schema.TryGetProperty("items", out var items))
            {
                Check(element, items, $"{path}[{index}]", errors);
            }

            index++;
        }

        CheckRange(index, schema, "minItems", "maxItems", "items", path, errors);
    }

    private static void CheckString(string text, JsonElement schema, string path, List<string> errors)
    {
        CheckRange(text.Length, schema, "minLength", "maxLength", "characters", path, errors);
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
        {
            errors.Add($"{path}: '{text}' does not match {pattern.GetString()}.");
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"{path}: '{text}' is not a date-time.");
        }
    }

    private static void CheckNumber(double number, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
        {
            errors.Add($"{path}: {number} is below the minimum {minimum.GetDouble()}.");
        }

        if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
        {
            errors.Add($"{path}: {number} is above the maximum {maximum.GetDouble()}.");
        }
    }

    private static void CheckRange(int count, JsonElement schema, string minKeyword, string maxKeyword, string what, string path, List<string> errors)
    {
        if (schema.TryGetProperty(minKeyword, out var min) && count < min.GetInt32())
        {
            errors.Add($"{path}: has {count} {what}, fewer than {min.GetInt32()}.");
        }

        if (schema.TryGetProperty(maxKeyword, out var max) && count > max.GetInt32())
        {
            errors.Add($"{path}: has {count} {what}, more than {max.GetInt32()}.");
        }
    }
}
