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
            var elements = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => [document.RootElement],
                JsonValueKind.Array => document.RootElement.EnumerateArray().ToList(),
                _ => (List<JsonElement>?)null,
            };
            if (elements is null)
            {
                errors.Add(new(null, "body", "must be a JSON object or an array of objects."));
                return new([], errors);
            }

            if (elements.Count == 0)
            {
                errors.Add(new(null, "body", "must hold at least one element."));
                return new([], errors);
            }

            if (elements.Count > IngestionLimits.MaxBatchSize)
            {
                errors.Add(new(null, "body", $"must hold at most {IngestionLimits.MaxBatchSize} elements (it has {elements.Count})."));
                return new([], errors);
            }

            var parsed = new List<T>(elements.Count);
            for (var index = 0; index < elements.Count; index++)
            {
                if (elements[index].ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new(index, "", "must be a JSON object."));
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
}

/// <summary>The elements of a valid batch, or the errors of an invalid one (never both).</summary>
public sealed record BatchParseResult<T>(IReadOnlyList<T> Elements, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
