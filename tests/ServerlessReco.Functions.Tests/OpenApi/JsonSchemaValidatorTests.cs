using System.Text.Json;

namespace ServerlessReco.Functions.Tests.OpenApi;

public sealed class JsonSchemaValidatorTests
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
                "count": { "type": "integer", "nullable": true },
                "tags": { "type": "array", "maxItems": 2, "items": { "$ref": "#/components/schemas/Id" } },
                "labels": { "type": "object", "maxProperties": 1, "additionalProperties": { "type": "string" } },
                "at": { "type": "string", "format": "date-time" },
                "version": { "type": "string", "pattern": "^[a-z]+$" }
              }
            },
            "OneOrMany": { "oneOf": [ { "$ref": "#/components/schemas/Thing" }, { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/Thing" } } ] }
          } }
        }
        """;

    private static readonly JsonElement Root = JsonDocument.Parse(Document).RootElement;
    private static readonly JsonSchemaValidator Validator = new(Root);

    private static List<string> Validate(string json, string schema = "Thing") =>
        Validator.Validate(JsonDocument.Parse(json).RootElement, Validator.Resolve($"#/components/schemas/{schema}"));

    [Theory]
    [InlineData("""{"id":"x","kind":"a"}""")]
    [InlineData("""{"id":"abcd","kind":"b","share":1,"count":null,"tags":["t"],"labels":{"k":"v"},"at":"2026-11-27T18:00:00Z","version":"abc"}""")]
    public void AValidDocumentHasNoErrors(string json)
    {
        Assert.Empty(Validate(json));
    }

    [Theory]
    [InlineData("""{"kind":"a"}""", "$: lacks the required property 'id'")]
    [InlineData("""{"id":"x","kind":"a","extra":1}""", "$.extra: is not a property")]
    [InlineData("""{"id":"x","kind":"c"}""", "$.kind: \"c\" is not one of")]
    [InlineData("""{"id":"","kind":"a"}""", "$.id: has 0 characters, fewer than 1")]
    [InlineData("""{"id":"abcde","kind":"a"}""", "$.id: has 5 characters, more than 4")]
    [InlineData("""{"id":"x","kind":"a","share":1.5}""", "$.share: 1.5 is above the maximum 1")]
    [InlineData("""{"id":"x","kind":"a","share":-0.1}""", "$.share: -0.1 is below the minimum 0")]
    [InlineData("""{"id":"x","kind":"a","count":1.5}""", "$.count: is Number, not integer")]
    [InlineData("""{"id":"x","kind":"a","share":null}""", "$.share: is null")]
    [InlineData("""{"id":"x","kind":"a","tags":["a","b","c"]}""", "$.tags: has 3 items, more than 2")]
    [InlineData("""{"id":"x","kind":"a","tags":[""]}""", "$.tags[0]: has 0 characters")]
    [InlineData("""{"id":"x","kind":"a","labels":{"k":1}}""", "$.labels.k: is Number, not string")]
    [InlineData("""{"id":"x","kind":"a","labels":{"k":"v","l":"w"}}""", "$.labels: has 2 properties, more than 1")]
    [InlineData("""{"id":"x","kind":"a","at":"yesterday"}""", "$.at: 'yesterday' is not a date-time")]
    [InlineData("""{"id":"x","kind":"a","version":"V1"}""", "$.version: 'V1' does not match")]
    [InlineData("""["x"]""", "$: is Array, not object")]
    public void EachBrokenRuleIsReportedWithItsPath(string json, string expected)
    {
        var errors = Validate(json);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void OneOfNeedsExactlyOneMatchingAlternative()
    {
        Assert.Empty(Validate("""{"id":"x","kind":"a"}""", "OneOrMany"));
        Assert.Empty(Validate("""[{"id":"x","kind":"a"}]""", "OneOrMany"));
        Assert.Contains("$: matches 0 of the oneOf alternatives instead of exactly one.", Validate("[]", "OneOrMany"));
        Assert.Contains("$: matches 0 of the oneOf alternatives instead of exactly one.", Validate("\"x\"", "OneOrMany"));
    }

    [Fact]
    public void AKeywordOutsideTheSubsetIsAnErrorNotIgnored()
    {
        var schema = JsonDocument.Parse("""{"type":"string","const":"x"}""").RootElement;

        var errors = Validator.Validate(JsonDocument.Parse("\"y\"").RootElement, schema);

        Assert.Equal(["$: the schema uses 'const', which this validator does not support."], errors);
    }

    [Fact]
    public void AReferenceThatPointsNowhereThrows()
    {
        Assert.Throws<KeyNotFoundException>(() => Validator.Resolve("#/components/schemas/Missing"));
    }
}
