using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>The checked-in OpenAPI document, read as the app serves it, with look-ups the tests share.</summary>
internal sealed class OpenApiSpec
{
    /// <summary>The host.json route prefix: document paths are relative to servers[].url, which ends in it.</summary>
    public const string RoutePrefix = "/api";

    public static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private OpenApiSpec(JsonElement root)
    {
        Root = root;
        Schemas = new OpenApiSchemas(root);
        Operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => Methods.Contains(o.Name))
                .Select(o => new Operation(path.Name, o.Name, o.Value, path.Value)))
            .ToList();
    }

    public static OpenApiSpec Load() => new(JsonDocument.Parse(OpenApiDocument.Text).RootElement);

    public JsonElement Root { get; }

    public OpenApiSchemas Schemas { get; }

    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>Every schema of the document: the named components, and each parameter's, request body's and response's.</summary>
    public IEnumerable<(string Location, JsonElement Schema)> EverySchema()
    {
        foreach (var component in Root.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            yield return ($"#/components/schemas/{component.Name}", component.Value);
        }

        foreach (var operation in Operations)
        {
            var at = $"{operation.Method} {operation.Path}";
            foreach (var parameter in operation.Parameters)
            {
                yield return ($"{at} parameter {parameter.GetProperty("name").GetString()}", parameter.GetProperty("schema"));
            }

            if (operation.Body.TryGetProperty("requestBody", out var body))
            {
                foreach (var media in body.GetProperty("content").EnumerateObject())
                {
                    yield return ($"{at} request body {media.Name}", media.Value.GetProperty("schema"));
                }
            }

            foreach (var status in operation.Statuses)
            {
                var response = operation.Response(status)!.Value;
                foreach (var media in response.TryGetProperty("content", out var content) ? content.EnumerateObject() : default(JsonElement.ObjectEnumerator))
                {
                    yield return ($"{at} {status} {media.Name}", media.Value.GetProperty("schema"));
                }
            }
        }
    }

    /// <summary>The operation a concrete request path (with the /api prefix, no query) and method reach, or null.</summary>
    public Operation? Find(string method, string requestPath) =>
        requestPath.StartsWith(RoutePrefix + "/", StringComparison.Ordinal)
            ? Operations.FirstOrDefault(o => o.Method == method.ToLowerInvariant() && o.Matches(requestPath[RoutePrefix.Length..]))
            : null;

    /// <summary>One method of one path.</summary>
    public sealed record Operation(string Path, string Method, JsonElement Body, JsonElement PathItem)
    {
        public string OperationId => Body.GetProperty("operationId").GetString()!;

        public IEnumerable<JsonElement> Parameters =>
            Body.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : [];

        public JsonElement? Parameter(string name, string location) =>
            Parameters.Where(p => p.GetProperty("name").GetString() == name && p.GetProperty("in").GetString() == location)
                .Select(p => (JsonElement?)p).FirstOrDefault();

        /// <summary>The security scheme names of each alternative; empty for an anonymous operation.</summary>
        public List<string> SecuritySchemes =>
            Body.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).Order(StringComparer.Ordinal).ToList();

        public JsonElement? Response(int status) =>
            Body.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) ? response : null;

        public IEnumerable<int> Statuses =>
            Body.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>The values of the path's {placeholders} in a concrete path, or null when it does not match.</summary>
        public Dictionary<string, string>? PathValues(string relativePath)
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(Path).Replace(@"\{", "{", StringComparison.Ordinal), @"\{(\w+)}", "(?<$1>[^/]+)") + "$";
            var match = Regex.Match(relativePath, pattern);
            return match.Success
                ? match.Groups.Cast<Group>().Where(g => !char.IsAsciiDigit(g.Name[0])).ToDictionary(g => g.Name, g => Uri.UnescapeDataString(g.Value))
                : null;
        }

        public bool Matches(string relativePath) => PathValues(relativePath) is not null;
    }
}
