using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// The schemas of an OpenAPI document, evaluated by JsonSchema.Net (JSON Schema 2020-12, formats asserted).
/// The document is registered under one URI, and every schema handed to <see cref="Validate"/> has its
/// <c>#/components/...</c> references made absolute to it, so a schema taken from anywhere in the document
/// (a request body, a response, a parameter) resolves its references the way the document means them.
/// </summary>
internal sealed class OpenApiSchemas
{
    /// <summary>OpenAPI 3.0 keywords JSON Schema does not know, that only describe (so ignoring them loses no check).</summary>
    private static readonly HashSet<string> OpenApiAnnotations = ["example", "externalDocs", "xml", "deprecated"];

    private static readonly Uri DocumentUri = new("https://serverlessreco.example/openapi.json");

    private readonly EvaluationOptions options = new()
    {
        EvaluateAs = SpecVersion.Draft202012,
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    public OpenApiSchemas(JsonElement document)
    {
        options.SchemaRegistry.Register(new JsonNodeBaseDocument(JsonNode.Parse(document.GetRawText())!, DocumentUri));
    }

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>; empty when it is valid.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement value, JsonElement schema)
    {
        var results = Build(schema).Evaluate(JsonNode.Parse(value.GetRawText()), options);
        if (results.IsValid)
        {
            return []; // the details still list the failures of oneOf's other alternatives
        }

        return results.Details
            .Where(detail => detail.HasErrors)
            .SelectMany(detail => detail.Errors!.Select(error => new SchemaError(
                detail.InstanceLocation.ToString(),
                error.Key.Length > 0 ? error.Key : detail.EvaluationPath[^1], // a false schema's error names no keyword
                error.Value,
                detail.EvaluationPath.ToString())))
            .ToList();
    }

    /// <summary>The schema a <c>#/components/...</c> reference points to; throws when it points nowhere.</summary>
    public JsonSchema Resolve(string reference)
    {
        var document = options.SchemaRegistry.Get(DocumentUri);
        return document.FindSubschema(JsonPointer.Parse(reference[1..]), options)
            ?? throw new KeyNotFoundException($"The reference '{reference}' points to no schema.");
    }

    /// <summary>
    /// Keywords of <paramref name="schema"/> and its subschemas that JSON Schema 2020-12 does not define and that are
    /// not mere OpenAPI annotations. JsonSchema.Net skips such a keyword, so one (OpenAPI 3.0's <c>nullable</c>, say)
    /// would be a rule nothing checks: the document must use none.
    /// </summary>
    public static IEnumerable<string> UncheckedKeywords(JsonElement schema) =>
        UncheckedKeywords(JsonSchema.FromText(schema.GetRawText()), "#");

    private static IEnumerable<string> UncheckedKeywords(JsonSchema schema, string location)
    {
        foreach (var keyword in schema.Keywords ?? [])
        {
            var name = keyword is UnrecognizedKeyword unknown ? unknown.Name : SchemaKeywordRegistry.Keyword(keyword);
            if (keyword is UnrecognizedKeyword && !OpenApiAnnotations.Contains(name))
            {
                yield return $"{location}/{name}";
            }

            foreach (var (key, subschema) in Subschemas(keyword))
            {
                foreach (var found in UncheckedKeywords(subschema, $"{location}/{name}{key}"))
                {
                    yield return found;
                }
            }
        }
    }

    private static IEnumerable<(string Key, JsonSchema Schema)> Subschemas(IJsonSchemaKeyword keyword) => keyword switch
    {
        ISchemaContainer { Schema: { } single } => [("", single)],
        ISchemaCollector collector => collector.Schemas.Select((s, i) => ($"/{i}", s)),
        IKeyedSchemaCollector keyed => keyed.Schemas.Select(p => ($"/{p.Key}", p.Value)),
        _ => [],
    };

    /// <summary>The schema with its document-relative references made absolute, so the registered document resolves them.</summary>
    private static JsonSchema Build(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        MakeReferencesAbsolute(node);
        return JsonSchema.FromText(node.ToJsonString());
    }

    private static void MakeReferencesAbsolute(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                if (json["$ref"] is JsonValue reference && reference.GetValue<string>() is var target && target.StartsWith('#'))
                {
                    json["$ref"] = DocumentUri + target;
                }

                foreach (var (_, child) in json.ToList())
                {
                    MakeReferencesAbsolute(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    MakeReferencesAbsolute(child);
                }

                break;
        }
    }
}

/// <summary>One broken rule: where in the value (a JSON pointer), which keyword, JsonSchema.Net's message, and where in the schema.</summary>
internal sealed record SchemaError(string Location, string Keyword, string Message, string SchemaPath)
{
    public override string ToString() => $"{(Location.Length == 0 ? "the value" : Location)} breaks {Keyword}: {Message} (schema #{SchemaPath})";
}
