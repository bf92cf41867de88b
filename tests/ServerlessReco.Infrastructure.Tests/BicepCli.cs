using System.Text.RegularExpressions;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>The Bicep CLI restored from NuGet (PackageDownload of Azure.Bicep.CommandLine.linux-x64).</summary>
internal static partial class BicepCli
{
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var path = RepositoryLayout.BicepCli;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Bicep CLI not found at {path}; restore tests/ServerlessReco.Infrastructure.Tests.", path);
        }

        EnsureExecutable(path);
        return ProcessRunner.RunAsync(path, arguments, RepositoryLayout.Root, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Diagnostic lines ("file(line,col) : Warning BCP037: ..."). Bicep reports type errors as warnings and still
    /// exits with 0, so the output is what tells whether a template is clean.
    /// </summary>
    public static IReadOnlyList<string> Diagnostics(string output) =>
        output.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => DiagnosticLine().IsMatch(line))
            .ToList();

    private static void EnsureExecutable(string path)
    {
        // NuGet extracts files without guaranteeing the execute bit.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }

    [GeneratedRegex(@"\(\d+,\d+\)\s*:\s*(Error|Warning|Info)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DiagnosticLine();
}
