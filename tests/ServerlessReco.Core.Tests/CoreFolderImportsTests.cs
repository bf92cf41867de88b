using System.Text.RegularExpressions;

namespace ServerlessReco.Core.Tests;

/// <summary>
/// The folders of the core import each other one way only: a folder (its namespace, nested folders their own) never
/// needs, through any chain of <c>using ServerlessReco.Core.X</c> lines or fully qualified names, a folder that needs it.
/// A nested folder also sees its parent's types without a using, so it counts as importing its parent.
/// </summary>
public sealed partial class CoreFolderImportsTests
{
    [Fact]
    public void NoImportLoopBetweenCoreFolders()
    {
        var imports = ReadImports(CoreSourceFolder());

        Assert.Contains("Serving", imports.Keys);
        Assert.Contains("Exploration", imports["Serving"]);
        var loop = FindLoop(imports);
        Assert.True(loop is null, $"import loop: {string.Join(" -> ", loop ?? [])}");
    }

    [Fact]
    public void TheLoopFinderFindsALoop()
    {
        var imports = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A", "B", "C", "A"], FindLoop(imports));
        Assert.Null(FindLoop(new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = [] }));
    }

    /// <summary>Namespace below ServerlessReco.Core (e.g. "Exploration.Simulation") → the core namespaces it imports.</summary>
    private static Dictionary<string, HashSet<string>> ReadImports(string core)
    {
        var sources = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj"]).Any())
            .Select(File.ReadAllText)
            .Select(text => (Folder: Namespace().Match(text) is { Success: true } m ? m.Groups[1].Value : null, Text: text))
            .Where(s => s.Folder is not null)
            .ToList();
        var imports = sources.Select(s => s.Folder!).Distinct().ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, text) in sources)
        {
            var needs = imports[folder!];
            if (folder!.LastIndexOf('.') is var dot and > 0)
            {
                needs.Add(folder[..dot]);
            }

            // Every mention of ServerlessReco.Core.X.Y.Type (using lines, qualified names) names the longest known folder it starts with.
            foreach (Match mention in Mention().Matches(text))
            {
                var name = mention.Groups[1].Value;
                var target = imports.Keys.Where(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)).MaxBy(f => f.Length);
                if (target is not null && target != folder)
                {
                    needs.Add(target);
                }
            }
        }

        return imports;
    }

    /// <summary>A loop as the folders along it (the first repeated at the end), or null when the graph has none.</summary>
    private static List<string>? FindLoop(IReadOnlyDictionary<string, HashSet<string>> imports)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string folder)
        {
            if (path.IndexOf(folder) is var start and >= 0)
            {
                return [.. path[start..], folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in imports.GetValueOrDefault(folder) ?? [])
            {
                if (Visit(next) is { } loop)
                {
                    return loop;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return imports.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(loop => loop is not null);
    }

    private static string CoreSourceFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var core = Path.Combine(folder.FullName, "src", "ServerlessReco.Core");
            if (File.Exists(Path.Combine(core, "ServerlessReco.Core.csproj")))
            {
                return core;
            }
        }

        throw new DirectoryNotFoundException("src/ServerlessReco.Core is not above the test's folder.");
    }

    [GeneratedRegex(@"^namespace ServerlessReco\.Core\.([A-Za-z.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\bServerlessReco\.Core\.([A-Za-z][A-Za-z.]*[A-Za-z])")]
    private static partial Regex Mention();
}
