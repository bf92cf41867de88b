using System.Text.Json.Nodes;

[assembly: AssemblyFixture(typeof(ServerlessReco.Infrastructure.Tests.CompiledInfrastructure))]

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// Runs the Bicep CLI once for the whole test run (build of main.bicep and lint of every template, side by
/// side) and keeps what it printed and the compiled ARM JSON.
/// </summary>
public sealed class CompiledInfrastructure : IAsyncLifetime
{
    private ArmDeployment? _main;

    internal ProcessResult Build { get; private set; } = new(-1, "", "");

    internal ProcessResult Lint { get; private set; } = new(-1, "", "");

    internal ArmDeployment Main => _main ?? throw new InvalidOperationException(
        $"main.bicep did not compile:\n{Build.Describe()}");

    public async ValueTask InitializeAsync()
    {
        var build = BicepCli.RunAsync(["build", RepositoryLayout.MainBicep, "--stdout", "--no-restore"]);
        var lint = BicepCli.RunAsync(["lint", "--pattern", "infra/**/*.bicep", "--no-restore"]);
        Build = await build;
        Lint = await lint;

        if (Build.ExitCode == 0 && Build.StandardOutput.TrimStart().StartsWith('{'))
        {
            _main = ArmDeployment.Parse(Build.StandardOutput);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Every resource of the given type in main.bicep and its modules, with the template that declares it.</summary>
    internal IReadOnlyList<(ArmDeployment Deployment, JsonObject Resource)> ResourcesOfType(string type) =>
        Main.All()
            .SelectMany(d => d.Resources.Select(r => (Deployment: d, Resource: r)))
            .Where(x => string.Equals((string?)x.Resource["type"], type, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>The one Key Vault secret the template names <paramref name="name"/> (pseudonym-key, shopper-token-keys).</summary>
    internal (ArmDeployment Deployment, JsonObject Resource) Secret(string name)
    {
        var found = ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Where(x => ArmDeployment.MentionsLiteral(x.Deployment.Expand(x.Resource["name"]), name)).ToList();
        Assert.True(found.Count == 1, $"Expected one secret {name}, found {found.Count}.");
        return found[0];
    }

    internal (ArmDeployment Deployment, JsonObject Resource) Single(string type)
    {
        var found = ResourcesOfType(type);
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0];
    }
}
