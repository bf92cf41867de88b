using System.Reflection;

namespace ServerlessReco.Functions.Tests;

/// <summary>Files of the repository (the docs, the checked-in OpenAPI document), found from where the build wrote it.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } =
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("Assembly metadata 'RepositoryRoot' is missing; the test project's build writes it.");

    /// <summary>The front door and the reference pages, relative to the root with '/' separators: README.md, then docs/*.md.</summary>
    public static IReadOnlyList<string> MarkdownPages { get; } =
    [
        "README.md",
        .. Directory.GetFiles(PathOf("docs"), "*.md").Order(StringComparer.Ordinal).Select(f => "docs/" + Path.GetFileName(f)),
    ];

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts.SelectMany(p => p.Split('/'))]);
}
