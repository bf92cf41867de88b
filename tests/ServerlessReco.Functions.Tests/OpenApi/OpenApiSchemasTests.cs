using System.Text.Json;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>The schema checks the examples rely on: JsonSchema.Net on a document shaped like openapi.json.</summary>
public sealed class OpenApiSchemasTests
{
    private const string Document = """
        {
          "components": { "schemas": {
            "Id": { "type": "string", "minLength": 1, "maxLength": 4 },
            "Thing": {
              "type": "object", "additionalProperties": false, "required": ["id", "kind"],
              "properties": {
                "id": { "$ref": "#/components/schemas/Id" },
                "kind": { "type": "string", "enum": ["a", "b"] },
                "share": { "type": "number", "minimum": 0, "maximum": 1 },
                "count": { "type": "integer" },
                "tags": { "type": "array", "maxItems": 2, "items": { "$ref": "#/components/schemas/Id" } },
                "labels": { "type": "object", "maxProperties": 1, "additionalProperties": { "type": "string" } },
                "at": { "type": "string", "format": "date-time" },
                "version": { "type": "string", "pattern": "^[a-z]+$" }
              }
            },
            "OneOrMany": { "oneOf": [ { "$ref": "#/components/schemas/Thing" }, { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/Thing" } } ] }
          } },
          "paths": { "/things": { "post": { "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OneOrMany" } } } } } } }
        }
        """;

    private static readonly JsonElement Root = JsonDocument.Parse(Document).RootElement;
    private static readonly OpenApiSchemas Schemas = new(Root);

    private static IReadOnlyList<SchemaError> Validate(string json, string schema = "Thing") =>
        Schemas.Validate(Parse(json), Root.GetProperty("components").GetProperty("schemas").GetProperty(schema));

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData("""{"id":"x","kind":"a"}""")]
    [InlineData("""{"id":"abcd","kind":"b","share":1,"count":3,"tags":["t"],"labels":{"k":"v"},"at":"2026-11-27T18:00:00Z","version":"abc"}""")]
    [InlineData("""{"id":"x","kind":"a","at":"2026-11-27T21:08:34.9137898+00:00"}""")]
    public void AValidDocumentHasNoErrors(string json)
    {
        Assert.Empty(Validate(json));
    }

    [Theory]
    [InlineData("""{"kind":"a"}""", "", "required")]
    [InlineData("""{"id":"x","kind":"a","extra":1}""", "/extra", "additionalProperties")]
    [InlineData("""{"id":"x","kind":"c"}""", "/kind", "enum")]
    [InlineData("""{"id":"","kind":"a"}""", "/id", "minLength")]
    [InlineData("""{"id":"abcde","kind":"a"}""", "/id", "maxLength")]
    [InlineData("""{"id":"x","kind":"a","share":1.5}""", "/share", "maximum")]
    [InlineData("""{"id":"x","kind":"a","share":-0.1}""", "/share", "minimum")]
    [InlineData("""{"id":"x","kind":"a","count":1.5}""", "/count", "type")]
    [InlineData("""{"id":"x","kind":"a","share":null}""", "/share", "type")]
    [InlineData("""{"id":"x","kind":"a","tags":["a","b","c"]}""", "/tags", "maxItems")]
    [InlineData("""{"id":"x","kind":"a","tags":[""]}""", "/tags/0", "minLength")]
    [InlineData("""{"id":"x","kind":"a","labels":{"k":1}}""", "/labels/k", "type")]
    [InlineData("""{"id":"x","kind":"a","labels":{"k":"v","l":"w"}}""", "/labels", "maxProperties")]
    [InlineData("""{"id":"x","kind":"a","at":"yesterday"}""", "/at", "format")]
    [InlineData("""{"id":"x","kind":"a","version":"V1"}""", "/version", "pattern")]
    [InlineData("""["x"]""", "", "type")]
    public void EachBrokenRuleIsReportedWithWhereItBrokeAndTheKeyword(string json, string location, string keyword)
    {
        var errors = Validate(json);

        Assert.Contains(errors, e => e.Location == location && e.Keyword == keyword);
    }

    [Fact]
    public void OneOfNeedsExactlyOneMatchingAlternative()
    {
        Assert.Empty(Validate("""{"id":"x","kind":"a"}""", "OneOrMany"));
        Assert.Empty(Validate("""[{"id":"x","kind":"a"}]""", "OneOrMany"));
        Assert.Contains(Validate("[]", "OneOrMany"), e => e.Location == "" && e.Keyword == "oneOf");
        Assert.Contains(Validate("\"x\"", "OneOrMany"), e => e.Location == "" && e.Keyword == "oneOf");
    }

    [Fact]
    public void ASchemaTakenFromAnOperationResolvesItsReferencesInTheDocument()
    {
        var body = Root.GetProperty("paths").GetProperty("/things").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.Empty(Schemas.Validate(Parse("""[{"id":"x","kind":"a"}]"""), body));
        Assert.Contains(Schemas.Validate(Parse("""[{"id":"x","kind":"z"}]"""), body), e => e.Keyword == "oneOf");
    }

    [Fact]
    public void AKeywordJsonSchemaDoesNotCheckIsFoundWhereverItIs()
    {
        var schema = Parse("""{"type":"object","properties":{"count":{"type":"integer","nullable":true}},"example":{"count":1}}""");

        Assert.Equal(["#/properties/count/nullable"], OpenApiSchemas.UncheckedKeywords(schema));
    }

    [Fact]
    public void AReferenceThatPointsNowhereThrows()
    {
        Assert.NotNull(Schemas.Resolve("#/components/schemas/Thing"));
        Assert.Throws<KeyNotFoundException>(() => Schemas.Resolve("#/components/schemas/Missing"));
    }
}
