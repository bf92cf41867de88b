namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// An `azd` and an `az` on PATH, as shell scripts in a temporary folder, for running the hook scripts here. `azd`
/// answers <c>env get-values</c> and <c>env get-value</c> from <see cref="Values"/> as the real one does (an error for
/// a missing key) and appends every <c>env set</c> to <see cref="SetCalls"/>. `az` answers <c>resource list</c> with
/// <see cref="Resources"/> ("type\tid" lines; an "az login" error when <see cref="AzSignedIn"/> is false), answers
/// <c>resource show</c> for a secret when <see cref="SecretExists"/>, and <c>keyvault secret show</c> with
/// <see cref="SecretValue"/>; it logs its arguments to <see cref="AzCalls"/>. With <see cref="AzInstalled"/> false
/// there is no `az` script (the machine has none either).
/// </summary>
internal sealed class FakeAzureClis : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public List<(string Type, string Id)> Resources { get; } = [];

    public bool AzInstalled { get; set; } = true;

    public bool AzSignedIn { get; set; } = true;

    public bool SecretExists { get; set; }

    public string? SecretValue { get; set; }

    public string Folder => _folder.Path;

    public IReadOnlyList<string> SetCalls => Lines("set-calls");

    public IReadOnlyList<string> AzCalls => Lines("az-calls");

    /// <summary>The value the hook last set for <paramref name="name"/> with azd env set, or null.</summary>
    public string? LastSet(string name) =>
        SetCalls.LastOrDefault(c => c.StartsWith($"env set {name} ", StringComparison.Ordinal)) is { } call ? call[$"env set {name} ".Length..] : null;

    /// <summary>Writes the scripts for the current settings and runs <paramref name="script"/> of infra/scripts with sh.</summary>
    public Task<ProcessResult> RunAsync(string script, params string[] arguments)
    {
        File.WriteAllText(Path.Combine(Folder, "values"), string.Concat(Values.Select(v => $"{v.Key}=\"{v.Value}\"\n")));
        File.WriteAllText(Path.Combine(Folder, "resources"), string.Concat(Resources.Select(r => $"{r.Type}\t{r.Id}\n")));
        Script("azd", $$"""
            case "$1 $2" in
              "env get-values") cat '{{Folder}}/values' ;;
              "env get-value")
                line=$(grep "^$3=" '{{Folder}}/values') || { echo "ERROR: key '$3' not found in the environment values" >&2; exit 1; }
                printf '%s\n' "$line" | sed 's/^[^=]*="\(.*\)"$/\1/' ;;
              "env set") echo "$*" >> '{{Folder}}/set-calls' ;;
              *) echo "unexpected: azd $*" >&2; exit 2 ;;
            esac
            """);
        var azPath = Path.Combine(Folder, "az");
        if (!AzInstalled)
        {
            File.Delete(azPath);
        }
        else
        {
            Script("az", $$"""
                echo "$*" >> '{{Folder}}/az-calls'
                {{(AzSignedIn ? "" : "echo \"ERROR: Please run 'az login' to setup account.\" >&2; exit 1")}}
                case "$1 $2" in
                  "resource list") cat '{{Folder}}/resources' ;;
                  "resource show") {{(SecretExists ? "echo found" : "echo \"(ResourceNotFound) not found\" >&2; exit 3")}} ;;
                  "keyvault secret") {{(SecretValue is null ? "echo \"(Forbidden) caller is not authorized\" >&2; exit 1" : $"printf '%s\\n' '{SecretValue}'")}} ;;
                  *) echo "unexpected: az $*" >&2; exit 2 ;;
                esac
                """);
        }

        return ProcessRunner.RunAsync(
            "sh",
            [Path.Combine(RepositoryLayout.Infra, "scripts", script), .. arguments],
            RepositoryLayout.Root,
            // Only the fakes' folder and the basic tools: a real az or azd of this machine must not answer.
            new Dictionary<string, string> { ["PATH"] = $"{Folder}:/usr/bin:/bin" },
            TestContext.Current.CancellationToken);
    }

    public void Dispose() => _folder.Dispose();

    private List<string> Lines(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path) ? [.. File.ReadAllLines(path)] : [];
    }

    private void Script(string name, string body)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
