using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Functions;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>openapi.json and the functions describe the same API: every route, method and key level.</summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly OpenApiSpec Spec = OpenApiSpec.Load();

    private static readonly List<(FunctionDescriptor Function, string Method)> HttpOperations =
        FunctionCatalog.Discover(typeof(EventsFunctions).Assembly).HttpFunctions
            .SelectMany(f => f.Http!.Methods.Select(m => (f, m.ToLowerInvariant())))
            .ToList();

    [Fact]
    public void TheDocumentIsOpenApi3WithTheRoutePrefixInItsServers()
    {
        Assert.StartsWith("3.0.", Spec.Root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.All(Spec.Root.GetProperty("servers").EnumerateArray(), s => Assert.EndsWith(OpenApiSpec.RoutePrefix, s.GetProperty("url").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void EveryHttpFunctionIsAnOperationNamedAfterItWithTheSecurityOfItsKeyLevel()
    {
        Assert.NotEmpty(HttpOperations);
        foreach (var (function, method) in HttpOperations)
        {
            var operation = Spec.Operations.SingleOrDefault(o => o.Path == "/" + function.Http!.Route && o.Method == method);

            Assert.True(operation is not null, $"{function.Name}: the document has no {method} /{function.Http!.Route}.");
            Assert.Equal(function.Name, operation.OperationId);
            Assert.Equal(SchemesFor(function), operation.SecuritySchemes);
        }
    }

    [Fact]
    public void EveryOperationOfTheDocumentIsAFunction()
    {
        foreach (var operation in Spec.Operations)
        {
            Assert.Contains(HttpOperations, h => "/" + h.Function.Http!.Route == operation.Path && h.Method == operation.Method);
        }

        Assert.Equal(HttpOperations.Count, Spec.Operations.Count);
    }

    [Fact]
    public void PathParametersAreExactlyThePlaceholdersOfTheRouteAndAreRequired()
    {
        foreach (var operation in Spec.Operations)
        {
            var placeholders = Placeholder().Matches(operation.Path).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
            var declared = operation.Parameters.Where(p => p.GetProperty("in").GetString() == "path").ToList();

            Assert.Equal(placeholders, declared.Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
            Assert.All(declared, p => Assert.True(p.GetProperty("required").GetBoolean()));
        }
    }

    [Fact]
    public void EveryErrorWithABodyIsAProblemDocumentAndEveryReferenceResolves()
    {
        foreach (var operation in Spec.Operations)
        {
            foreach (var status in operation.Statuses.Where(s => s >= 400))
            {
                if (operation.Response(status)!.Value.TryGetProperty("content", out var content))
                {
                    Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
                }
            }

            Assert.Contains(operation.Statuses, s => s is >= 200 and < 300);
        }

        foreach (var reference in References(Spec.Root))
        {
            Spec.Schemas.Resolve(reference);
        }
    }

    [Fact]
    public void EverySchemaOfTheDocumentIsJsonSchemaWhoseEveryKeywordIsChecked()
    {
        var schemas = Spec.EverySchema().ToList();
        var metaSchema = new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List };

        Assert.Contains(schemas, s => s.Location.Contains(" 200 application/json", StringComparison.Ordinal));
        foreach (var (location, schema) in schemas)
        {
            var meta = Json.Schema.MetaSchemas.Draft202012.Evaluate(JsonNode.Parse(schema.GetRawText()), metaSchema);
            Assert.True(meta.IsValid, $"{location} is not a JSON Schema 2020-12 schema.");
            Assert.Empty(OpenApiSchemas.UncheckedKeywords(schema).Select(k => $"{location}: {k}"));
        }
    }

    [Fact]
    public void EveryReadWithAQueryDeclaresCountWithItsRange()
    {
        foreach (var operation in Spec.Operations.Where(o => o.OperationId.Contains("Recommendations", StringComparison.Ordinal)
            || o.OperationId.Contains("Similar", StringComparison.Ordinal) || o.OperationId.Contains("Trending", StringComparison.Ordinal)))
        {
            var count = operation.Parameter("count", "query")!.Value.GetProperty("schema");

            Assert.Equal("integer", count.GetProperty("type").GetString());
            Assert.Equal(1, count.GetProperty("minimum").GetInt32());
            Assert.Equal(100, count.GetProperty("maximum").GetInt32());
        }
    }

    /// <summary>The client routes, where a shopper token goes with the function key (docs/api.md, "Shopper tokens").</summary>
    private static readonly string[] ShopperTokenRoutes = ["RecordEvents", "GetRecommendations", "GetSimilarItems", "GetTrending"];

    private static List<string> SchemesFor(FunctionDescriptor function) => ShopperTokenRoutes.Contains(function.Name)
        ? ["functionKey", "functionKeyQuery", "shopperToken", "shopperToken"]
        : SchemesFor(function.Http!.Level);

    private static List<string> SchemesFor(AuthorizationLevel level) => level switch
    {
        AuthorizationLevel.Anonymous => [],
        AuthorizationLevel.Admin => ["adminKey", "adminKeyQuery"],
        _ => ["functionKey", "functionKeyQuery"],
    };

    private static IEnumerable<string> References(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" ? [p.Value.GetString()!] : References(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(References),
        _ => [],
    };

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>The document as the app serves it, through the local host.</summary>
public sealed class OpenApiServedTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task GetOpenApiJsonServesTheCheckedInDocument()
    {
        using var response = await host.Client.GetAsync("/api/openapi.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var checkedIn = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("src", "ServerlessReco.Functions", "openapi.json")));
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "The served document differs from src/ServerlessReco.Functions/openapi.json.");
    }
}
