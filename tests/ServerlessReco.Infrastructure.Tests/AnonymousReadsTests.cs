using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Functions;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// Anonymous reads follow the <c>allowAnonymousReads</c> parameter twice over: the app setting the code reads,
/// and <c>AzureWebJobs.{name}.Disabled</c> for each anonymous function, whose names must be the code's.
/// </summary>
public sealed class AnonymousReadsTests(CompiledInfrastructure infra)
{
    private const string DisabledPrefix = "AzureWebJobs.";
    private const string DisabledSuffix = ".Disabled";

    [Fact]
    public void EveryPublicFunctionOfTheCodeAndNoOtherIsDisabledBySetting()
    {
        var disabled = Settings().Select(s => s.Key)
            .Where(k => k.StartsWith(DisabledPrefix, StringComparison.Ordinal) && k.EndsWith(DisabledSuffix, StringComparison.Ordinal))
            .Select(k => k[DisabledPrefix.Length..^DisabledSuffix.Length])
            .Order(StringComparer.Ordinal);

        Assert.Equal(PublicFunctionNames(), disabled);
    }

    [Fact]
    public void TheSettingsFollowTheParameterAndAnonymousReadsAreOffByDefault()
    {
        var settings = Settings();
        var api = infra.Main.Module("api");

        Assert.Equal("[if(parameters('allowAnonymousReads'), 'true', 'false')]", (string?)settings["Reco__AllowAnonymousReads"]);
        foreach (var name in PublicFunctionNames())
        {
            // Disabled exactly when anonymous reads are not allowed.
            var expanded = api.Expand(settings[$"{DisabledPrefix}{name}{DisabledSuffix}"]);
            Assert.Contains("if(parameters('allowAnonymousReads'), 'false', 'true')", expanded, StringComparison.Ordinal);
        }

        Assert.Contains(ArmDeployment.InputMarker("allowAnonymousReads"), api.Expand(settings["Reco__AllowAnonymousReads"]), StringComparison.Ordinal);
        Assert.False((bool)infra.Main.Template["parameters"]!["allowAnonymousReads"]!["defaultValue"]!);
    }

    /// <summary>Functions whose HTTP trigger needs no key, except the OpenAPI document, which is public by design.</summary>
    private static List<string> PublicFunctionNames() =>
        typeof(PublicRecommendationsFunctions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is { AuthLevel: AuthorizationLevel.Anonymous, Route: var route }
                && route!.StartsWith("public/", StringComparison.Ordinal)))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    private JsonObject Settings()
    {
        var (_, config) = infra.Single("Microsoft.Web/sites/config");
        return config["properties"]!.AsObject();
    }
}
