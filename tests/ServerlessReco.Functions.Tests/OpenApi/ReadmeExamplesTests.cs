using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>The README's API examples are requests and answers the OpenAPI document allows.</summary>
public sealed class ReadmeExamplesTests
{
    private static readonly OpenApiSpec Spec = OpenApiSpec.Load();

    private static readonly (List<CurlExample> Requests, List<JsonExample> Answers) Examples =
        ReadmeExamples.Parse(File.ReadAllText(RepositoryFiles.PathOf("README.md")));

    private static IEnumerable<CurlExample> ApiRequests => Examples.Requests.Where(r => r.ApiPath is not null);

    [Fact]
    public void TheReadmeHasExamplesOfEveryKindToCheck()
    {
        Assert.True(ApiRequests.Count() >= 10, $"Only {ApiRequests.Count()} curl examples of /api/ routes were found.");
        Assert.True(ApiRequests.Count(r => r.Body is not null) >= 3, "Too few request bodies were found.");
        Assert.True(ApiRequests.Count(r => r.Response is not null) >= 3, "Too few '# 200 {...}' answers were found.");
        Assert.True(Examples.Answers.Count >= 4, "Too few JSON answers under route headings were found.");
    }

    [Fact]
    public void EveryCurlExampleIsAnOperationOfTheDocumentWithDeclaredParameters()
    {
        var problems = new List<string>();
        foreach (var request in ApiRequests)
        {
            if (Spec.Find(request.Method, request.ApiPath!) is not { } operation)
            {
                problems.Add($"{request}: the document has no {request.Method} {request.ApiPath}.");
                continue;
            }

            foreach (var (name, value) in operation.PathValues(request.ApiPath![OpenApiSpec.RoutePrefix.Length..])!)
            {
                problems.AddRange(ParameterProblems(request, operation, name, "path", value));
            }

            foreach (var (name, value) in request.Query.Where(q => !IsKeyParameter(q.Name, operation)))
            {
                problems.AddRange(ParameterProblems(request, operation, name, "query", value));
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryRequestBodyAndAnswerOfACurlExampleValidatesAgainstItsSchema()
    {
        var problems = new List<string>();
        foreach (var request in ApiRequests)
        {
            if (Spec.Find(request.Method, request.ApiPath!) is not { } operation)
            {
                continue; // reported by the test above
            }

            if (request.Body is { } body)
            {
                var schema = operation.Body.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
                problems.AddRange(Spec.Validator.Validate(FirstJsonValue(body), schema).Select(e => $"{request} body: {e}"));
            }

            if (request.Status is { } status)
            {
                problems.AddRange(AnswerProblems(request.ToString(), operation, status, FirstJsonValue(request.Response!)));
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryJsonAnswerUnderARouteHeadingValidatesAgainstThatRoutesResponses()
    {
        var problems = new List<string>();
        foreach (var answer in Examples.Answers)
        {
            var operation = Spec.Operations.SingleOrDefault(o => o.Method == answer.Method.ToLowerInvariant() && OpenApiSpec.RoutePrefix + o.Path == answer.Path);
            if (operation is null)
            {
                problems.Add($"{answer}: the document has no such operation.");
                continue;
            }

            var json = FirstJsonValue(answer.Json);
            var status = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("status", out var problemStatus)
                ? problemStatus.GetInt32()
                : operation.Statuses.Single(s => s is >= 200 and < 300);
            problems.AddRange(AnswerProblems(answer.ToString(), operation, status, json));
        }

        Assert.Empty(problems);
    }

    private static IEnumerable<string> AnswerProblems(string example, OpenApiSpec.Operation operation, int status, JsonElement json)
    {
        if (operation.Response(status) is not { } response)
        {
            return [$"{example}: {operation.Method} {operation.Path} declares no {status} response."];
        }

        var media = response.GetProperty("content").EnumerateObject().Single();
        return Spec.Validator.Validate(json, media.Value.GetProperty("schema")).Select(e => $"{example} ({status} {media.Name}): {e}");
    }

    private static IEnumerable<string> ParameterProblems(CurlExample request, OpenApiSpec.Operation operation, string name, string location, string value)
    {
        if (operation.Parameter(name, location) is not { } parameter)
        {
            return [$"{request}: {location} parameter '{name}' is not declared."];
        }

        if (value.Contains('$', StringComparison.Ordinal))
        {
            return []; // a shell variable: its value is not in the README
        }

        var schema = parameter.GetProperty("schema");
        return Spec.Validator.Validate(AsJson(value, schema), schema).Select(e => $"{request} {location} parameter '{name}': {e}");
    }

    /// <summary>A key in the query (<c>?code=</c>) is a security scheme of the operation, not a parameter.</summary>
    private static bool IsKeyParameter(string name, OpenApiSpec.Operation operation) =>
        operation.SecuritySchemes.Any(scheme =>
        {
            var definition = Spec.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty(scheme);
            return definition.GetProperty("in").GetString() == "query" && definition.GetProperty("name").GetString() == name;
        });

    /// <summary>A query or path value as the JSON value its schema type expects, so that ranges are checked.</summary>
    private static JsonElement AsJson(string value, JsonElement schema)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var isNumber = type is "integer" or "number" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return isNumber ? JsonDocument.Parse(value).RootElement : JsonSerializer.SerializeToElement(value);
    }

    /// <summary>The first JSON value of the text; what follows it (a comment such as "-- the same request again") is ignored.</summary>
    private static JsonElement FirstJsonValue(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text.Trim()));
        return JsonElement.ParseValue(ref reader);
    }
}
