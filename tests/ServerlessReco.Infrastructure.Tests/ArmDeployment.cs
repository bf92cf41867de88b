using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// One template of the compiled ARM JSON: main.bicep or one of its modules (a nested deployment).
/// <see cref="Expand(System.Text.Json.Nodes.JsonNode?)"/> follows an expression through parameters, variables and module outputs, so that a test
/// can see where an app setting's value really comes from, whichever module computes it.
/// </summary>
internal sealed partial class ArmDeployment
{
    private const int MaxDepth = 16;
    private readonly JsonObject? _moduleResource;
    private readonly ArmDeployment? _parent;

    private ArmDeployment(string name, JsonObject template, JsonObject? moduleResource, ArmDeployment? parent)
    {
        Name = name;
        Template = template;
        _moduleResource = moduleResource;
        _parent = parent;
        Resources = ResourceList(template);
        Modules = Resources
            .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")
            .Select(r => new ArmDeployment(
                (string?)r["name"] ?? throw new InvalidDataException("A module deployment has no name."),
                r["properties"]?["template"]?.AsObject() ?? throw new InvalidDataException("A module deployment has no inline template."),
                r,
                this))
            .ToList();
    }

    public string Name { get; }

    public JsonObject Template { get; }

    /// <summary>This template's own resources (module deployments included, their contents not).</summary>
    public IReadOnlyList<JsonObject> Resources { get; }

    public IReadOnlyList<ArmDeployment> Modules { get; }

    public static ArmDeployment Parse(string json) =>
        new("main", JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("The compiled template is not a JSON object."), null, null);

    /// <summary>This deployment and every module under it.</summary>
    public IEnumerable<ArmDeployment> All() => Modules.SelectMany(m => m.All()).Prepend(this);

    public ArmDeployment Module(string name) =>
        Modules.SingleOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"No module deployment named '{name}' in {Name}.");

    /// <summary>Marker that <see cref="Expand(System.Text.Json.Nodes.JsonNode?)"/> writes where a value comes from a module's output.</summary>
    public static string OutputMarker(string module, string output) => $"<module {module} output {output}>";

    /// <summary>Marker that <see cref="Expand(System.Text.Json.Nodes.JsonNode?)"/> writes where a value comes from a parameter of main.bicep.</summary>
    public static string InputMarker(string parameter) => $"<input {parameter}>";

    /// <summary>Whether an expanded expression uses the string literal, inline ('x') or as a variable or parameter value.</summary>
    public static bool MentionsLiteral(string expanded, string literal) =>
        expanded.Contains($"'{literal}'", StringComparison.Ordinal) || expanded.Contains($": {literal}]", StringComparison.Ordinal);

    /// <summary>
    /// The expression text followed by the expansion of every parameter, variable and module output it uses,
    /// recursively. Values are not evaluated: the result is for searching, not for reading back a value.
    /// </summary>
    public string Expand(JsonNode? node) => Expand(node, 0);

    private string Expand(JsonNode? node, int depth)
    {
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
        if (depth > MaxDepth)
        {
            return text;
        }

        var expanded = new StringBuilder(text);
        foreach (var name in Matches(ParameterReference(), text))
        {
            expanded.Append(" [parameter ").Append(name).Append(": ").Append(ExpandParameter(name, depth + 1)).Append(']');
        }

        foreach (var name in Matches(VariableReference(), text))
        {
            var variable = Template["variables"]?[name];
            expanded.Append(" [variable ").Append(name).Append(": ").Append(Expand(variable, depth + 1)).Append(']');
        }

        foreach (Match match in ModuleOutputReference().Matches(text))
        {
            var module = Module(match.Groups["module"].Value);
            var output = match.Groups["output"].Value;
            var outputValue = module.Template["outputs"]?[output]?["value"]
                ?? throw new KeyNotFoundException($"Module {module.Name} has no output '{output}'.");
            expanded.Append(' ').Append(OutputMarker(module.Name, output)).Append(": ").Append(module.Expand(outputValue, depth + 1));
        }

        return expanded.ToString();
    }

    private string ExpandParameter(string name, int depth)
    {
        if (_moduleResource?["properties"]?["parameters"]?[name]?["value"] is { } passed && _parent is not null)
        {
            return _parent.Expand(passed, depth);
        }

        var declared = Template["parameters"]?[name];
        var marker = _parent is null ? InputMarker(name) + " " : "";
        return declared?["defaultValue"] is { } defaultValue ? marker + Expand(defaultValue, depth) : marker;
    }

    private static List<string> Matches(Regex regex, string text) =>
        regex.Matches(text).Select(m => m.Groups["name"].Value).Distinct().ToList();

    private static List<JsonObject> ResourceList(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()).ToList(),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()).ToList(), // languageVersion 2.0
        _ => [],
    };

    [GeneratedRegex(@"parameters\('(?<name>[^']+)'\)")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"'Microsoft\.Resources/deployments',\s*'(?<module>[^']+)'\)(?:,\s*'[^']*')*\)\.outputs\.(?<output>\w+)\.value")]
    private static partial Regex ModuleOutputReference();
}
