using System.Reflection;
using System.Runtime.Versioning;

// The Bicep CLI comes from Azure.Bicep.CommandLine.linux-x64, and the hook under test is a POSIX shell script.
[assembly: SupportedOSPlatform("linux")]

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>Paths the build wrote into this assembly (see the csproj): the repository and the Bicep CLI.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string BicepCli { get; } = Metadata("BicepCliPath");

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(Infra, "main.bicep");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; it is written by the test project's build.");
}
