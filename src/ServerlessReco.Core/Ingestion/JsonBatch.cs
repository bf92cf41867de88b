using System.Text.Json;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// The envelope of every write body: one JSON object or an array of up to
/// <see cref="IngestionLimits.MaxBatchSize"/> objects. Checks the envelope only; the elements'
/// fields are checked by the parser of each kind of element.
/// </summary>
public static class JsonBatch
{
    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = IngestionLimits.MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// Parses the body and hands each element with its index to <paramref name="parseElement"/>.
    /// Returns the parsed elements only when the whole batch is valid: a batch is all or nothing.
    /// </summary>
    public static BatchParseResult<T> Parse<T>(ReadOnlyMemory<byte> body, Func<JsonElement, int, List<ValidationError>, T?> parseElement)
        where T : class
    {
        var errors = new List<ValidationError>();
        if (body.Length > IngestionLimits.MaxBodyBytes)
        {
            errors.Add(new(null, "body", $"must be at most {IngestionLimits.MaxBodyBytes} bytes."));
            return new([], errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            errors.Add(new(null, "body", $"is not valid JSON: {e.Message}"));
            return new([], errors);
        }

        using (document)
        {
            if (BatchShapeError(document.RootElement) is { } shapeError)
            {
                errors.Add(shapeError);
                return new([], errors);
            }

            var elements = document.RootElement.ValueKind == JsonValueKind.Object ? [document.RootElement] : document.RootElement.EnumerateArray().ToList();
            var parsed = new List<T>(elements.Count);
            for (var index = 0; index < elements.Count; index++)
            {
                if (elements[index].ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new(index, "", "must be a JSON object."));
                    continue;
                }

                if (JsonStrings.FirstInvalid(elements[index]) is { } invalid)
                {
                    errors.Add(new(index, invalid, JsonStrings.InvalidMessage));
                    continue;
                }

                if (parseElement(elements[index], index, errors) is { } element)
                {
                    parsed.Add(element);
                }
            }

            return errors.Count == 0 ? new(parsed, errors) : new([], errors);
        }
    }

    /// <summary>Why the body as a whole is not a batch (not an object or array of them, empty, too large), or null.</summary>
    private static ValidationError? BatchShapeError(JsonElement root)
    {
        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return new(null, "body", "must be a JSON object or an array of objects.");
        }

        var count = root.ValueKind == JsonValueKind.Object ? 1 : root.GetArrayLength();
        if (count == 0)
        {
            return new(null, "body", "must hold at least one element.");
        }

        return count > IngestionLimits.MaxBatchSize
            ? new(null, "body", $"must hold at most {IngestionLimits.MaxBatchSize} elements (it has {count}).")
            : null;
    }
}

/// <summary>The elements of a valid batch, or the errors of an invalid one (never both).</summary>
public sealed record BatchParseResult<T>(IReadOnlyList<T> Elements, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
