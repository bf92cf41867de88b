using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ServerlessReco.Functions.Tests.Docs;

/// <summary>The README stays a front door, its figures are the benchmarks' own, and no link of the docs leads nowhere.</summary>
public sealed partial class DocsTests
{
    /// <summary>GitHub's heading anchors, so that a link's <c>#fragment</c> is checked the way GitHub renders it.</summary>
    private static readonly MarkdownPipeline Pipeline =
        new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers(AutoIdentifierOptions.GitHub).Build();

    /// <summary>The docs pages and the short READMEs of the projects, which point into docs/.</summary>
    private static readonly IReadOnlyList<string> PagesWithLinks =
    [
        .. RepositoryFiles.MarkdownPages,
        .. Directory.GetFiles(RepositoryFiles.PathOf("src"), "README.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/node_modules/", StringComparison.Ordinal)), // the dashboard's npm packages are not ours
    ];

    [Fact]
    public void TheReadmeIsAFrontDoorOfAtMost300Lines()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("README.md")).Length;

        Assert.True(lines <= 300, $"README.md has {lines} lines; reference material belongs in docs/.");
    }

    [Fact]
    public void EveryRelativeLinkOfTheDocsPointsToAFileOrHeadingThatExists()
    {
        var links = PagesWithLinks.SelectMany(page => Read(page).Descendants<LinkInline>()
            .Where(link => link.Url is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            .Select(link => (Page: page, Line: link.Line + 1, Url: link.Url!))).ToList();

        Assert.True(links.Count >= 10, $"Only {links.Count} relative links were found.");
        var broken = links.Select(l => Broken(l.Page, l.Url) is { } why ? $"{l.Page} line {l.Line}: {l.Url}: {why}" : null).OfType<string>().ToList();
        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void EveryHeadlineFigureOfTheReadmeIsOneOfTheBenchmarks()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        var benchmarks = File.ReadAllText(RepositoryFiles.PathOf("docs/benchmarks.md"));
        var section = Regex.Match(readme, @"^## Headline figures$(?<body>.*?)(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline).Groups["body"].Value;
        var figures = Figure().Matches(section).Select(m => m.Value).Distinct().ToList();

        Assert.True(figures.Count >= 10, $"Only {figures.Count} figures were found in the README's headline figures.");
        var notInBenchmarks = figures.Where(figure => !Regex.IsMatch(benchmarks, $@"(?<![\d.,]){Regex.Escape(figure)}(?![\d]|[.,]\d)")).ToList();
        Assert.True(notInBenchmarks.Count == 0, $"README figures not in docs/benchmarks.md: {string.Join(", ", notInBenchmarks)}");
    }

    /// <summary>Why a relative link from <paramref name="page"/> leads nowhere, or null when it leads somewhere.</summary>
    private static string? Broken(string page, string url)
    {
        var (path, fragment) = url.Split('#', 2) is [var p, var f] ? (p, f) : (url, null);
        var target = path.Length == 0 ? page : Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(RepositoryFiles.Root, Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)))).Replace('\\', '/');
        var full = RepositoryFiles.PathOf(target);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return $"{target} does not exist";
        }

        if (fragment is null || !target.EndsWith(".md", StringComparison.Ordinal))
        {
            return null;
        }

        var anchors = Read(target).Descendants<HeadingBlock>().Select(h => h.GetAttributes().Id).ToHashSet(StringComparer.Ordinal);
        return anchors.Contains(fragment) ? null : $"{target} has no heading #{fragment}";
    }

    private static MarkdownDocument Read(string page) => Markdown.Parse(File.ReadAllText(RepositoryFiles.PathOf(page)), Pipeline);

    /// <summary>A figure as written: digits with thousands separators or decimals, and a range (<c>44–69</c>).</summary>
    [GeneratedRegex(@"\d+(?:[.,]\d+)*(?:–\d+(?:[.,]\d+)*)?")]
    private static partial Regex Figure();
}
