using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The shape a newcomer can read: small files with one purpose and methods that fit on a screen. Numerical kernels are
/// the one exception, because splitting a factorisation across files hides how it works.
/// </summary>
public sealed class CodeShapeTests
{
    private const int MaxFileLines = 300;
    private const int MaxMethodLines = 60;
    private static readonly string[] NumericalKernels = ["DenseInverse.cs"];

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(RepositoryLayout.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void NoSourceFileIsLongerThan300Lines()
    {
        var tooLong = SourceFiles()
            .Where(f => !NumericalKernels.Contains(Path.GetFileName(f)))
            .Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join('\n', tooLong));
    }

    [Fact]
    public void NoMethodIsLongerThan60Lines()
    {
        var tooLong = new List<string>();
        foreach (var file in SourceFiles().Where(f => !NumericalKernels.Contains(Path.GetFileName(f))))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file, cancellationToken: TestContext.Current.CancellationToken);
            foreach (var body in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().Where(IsCallableBody))
            {
                var span = body.GetLocation().GetLineSpan();
                var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines > MaxMethodLines)
                {
                    tooLong.Add($"{Relative(file)}:{span.StartLinePosition.Line + 1} {Name(body)}: {lines} lines");
                }
            }
        }

        Assert.True(tooLong.Count == 0, string.Join('\n', tooLong));
    }

    private static bool IsCallableBody(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
            or ParenthesizedLambdaExpressionSyntax or SimpleLambdaExpressionSyntax;

    private static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
        LocalFunctionStatementSyntax l => l.Identifier.Text + " (local function)",
        _ => node.Kind().ToString(),
    };

    private static string Relative(string path) => Path.GetRelativePath(RepositoryLayout.Root, path);
}
