using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Tests;

/// <summary>A data directory of its own, removed at the end (SQLite's pooled connections released first).</summary>
public sealed class TemporaryDataDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("reco-cli-test-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>What the store under <paramref name="dataDirectory"/> holds, read through the same composition.</summary>
    public static async Task<(long Events, List<CatalogItem> Items)> ReadStoreAsync(string dataDirectory)
    {
        await using var services = await CliServices.BuildAsync(
            new Dictionary<string, string?> { ["Embedded:DataDirectory"] = dataDirectory }, environment: []);
        var events = await services.GetRequiredService<IEventStore>().CountAsync(TestContext.Current.CancellationToken);
        var items = await services.GetRequiredService<IItemStore>().ReadAllAsync(TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        return (events, items);
    }

    /// <summary>Runs <c>reco COMMAND ARGS</c> against this data directory; its exit code and standard output.</summary>
    public async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var run = await Run.RecoAsync([], [.. args, "--data-dir", Path]);
        return (run.ExitCode, run.Output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

/// <summary>One run of a command: its exit code, standard output and standard error.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Errors);

public static class Run
{
    /// <summary>
    /// Parses and runs <c>reco ARGS</c> in-process, as the program does, with <paramref name="environment"/> as the
    /// only settings (none from the machine's environment).
    /// </summary>
    public static async Task<CommandRun> RecoAsync(IEnumerable<KeyValuePair<string, string?>> environment, params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await RecoCommandLine.InvokeAsync(args, output, errors, environment, TestContext.Current.CancellationToken);
        return new CommandRun(code, output.ToString(), errors.ToString());
    }

    public static Task<CommandRun> RecoAsync(params string[] args) => RecoAsync([], args);

    /// <summary>Runs <c>reco import ARGS</c> in-process with no settings from the machine's environment.</summary>
    public static Task<CommandRun> ImportAsync(IEnumerable<KeyValuePair<string, string?>>? environment, params string[] args) =>
        RecoAsync(environment ?? [], ["import", .. args]);

    public static Task<CommandRun> ImportAsync(params string[] args) => ImportAsync(null, args);
}
