using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>What is wrong with a Markdown example against the OpenAPI document; each problem names the page and line.</summary>
internal sealed class ExampleChecks(OpenApiSpec spec)
{
    /// <summary>The request's route is an operation of the document, and its path and query values are declared and in range.</summary>
    public IEnumerable<string> RouteAndParameterProblems(CurlExample request)
    {
        if (spec.Find(request.Method, request.ApiPath!) is not { } operation)
        {
            return [$"{request}: the document has no {request.Method} {request.ApiPath}."];
        }

        var pathValues = operation.PathValues(request.ApiPath![OpenApiSpec.RoutePrefix.Length..])!.Select(p => (p.Key, p.Value, "path"));
        var queryValues = request.Query.Where(q => !IsKeyParameter(q.Name, operation)).Select(q => (q.Name, q.Value, "query"));
        return pathValues.Concat(queryValues).SelectMany(p => ParameterProblems(request, operation, p.Item1, p.Item3, p.Item2)).ToList();
    }

    /// <summary>The request's JSON body and the answer its <c># 200 {...}</c> comment shows match their schemas.</summary>
    public IEnumerable<string> BodyAndAnswerProblems(CurlExample request)
    {
        if (spec.Find(request.Method, request.ApiPath!) is not { } operation)
        {
            return []; // reported by RouteAndParameterProblems
        }

        var problems = new List<string>();
        if (request.Body is { } body)
        {
            var schema = operation.Body.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            problems.AddRange(spec.Schemas.Validate(FirstJsonValue(body), schema).Select(e => $"{request} body: {e}"));
        }

        if (request.Status is { } status)
        {
            problems.AddRange(ResponseProblems(request.ToString(), operation, status, FirstJsonValue(request.Response!)));
        }

        return problems;
    }

    /// <summary>A JSON block under a route heading is one of that route's responses: a problem by its status, else the success body.</summary>
    public IEnumerable<string> AnswerProblems(JsonExample answer)
    {
        var operation = spec.Operations.SingleOrDefault(o => o.Method == answer.Method.ToLowerInvariant() && OpenApiSpec.RoutePrefix + o.Path == answer.Path);
        if (operation is null)
        {
            return [$"{answer}: the document has no such operation."];
        }

        var json = FirstJsonValue(answer.Json);
        var status = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("status", out var problemStatus)
            ? problemStatus.GetInt32()
            : operation.Statuses.Single(s => s is >= 200 and < 300);
        return ResponseProblems(answer.ToString(), operation, status, json);
    }

    private IEnumerable<string> ResponseProblems(string example, OpenApiSpec.Operation operation, int status, JsonElement json)
    {
        if (operation.Response(status) is not { } response)
        {
            return [$"{example}: {operation.Method} {operation.Path} declares no {status} response."];
        }

        var media = response.GetProperty("content").EnumerateObject().Single();
        return spec.Schemas.Validate(json, media.Value.GetProperty("schema")).Select(e => $"{example} ({status} {media.Name}): {e}");
    }

    private IEnumerable<string> ParameterProblems(CurlExample request, OpenApiSpec.Operation operation, string name, string location, string value)
    {
        if (operation.Parameter(name, location) is not { } parameter)
        {
            return [$"{request}: {location} parameter '{name}' is not declared."];
        }

        if (value.Contains('$', StringComparison.Ordinal))
        {
            return []; // a shell variable: its value is not on the page
        }

        var schema = parameter.GetProperty("schema");
        return spec.Schemas.Validate(AsJson(value, schema), schema).Select(e => $"{request} {location} parameter '{name}': {e}");
    }

    /// <summary>A key in the query (<c>?code=</c>) is a security scheme of the operation, not a parameter.</summary>
    private bool IsKeyParameter(string name, OpenApiSpec.Operation operation) =>
        operation.SecuritySchemes.Any(scheme =>
        {
            var definition = spec.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty(scheme);
            // A bearer scheme (the shopper token) has no "in": it travels in the Authorization header.
            return definition.TryGetProperty("in", out var place) && place.GetString() == "query" && definition.GetProperty("name").GetString() == name;
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
