using System.Reflection;

namespace ServerlessReco.Functions.Tests;

/// <summary>Files of the repository (the README, the checked-in OpenAPI document), found from where the build wrote it.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } =
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("Assembly metadata 'RepositoryRoot' is missing; the test project's build writes it.");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
