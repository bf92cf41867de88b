using System.CommandLine;

namespace ServerlessReco.Cli;

/// <summary>
/// One verb of <c>reco</c>: a System.CommandLine <see cref="Command"/> whose options describe themselves in
/// <c>--help</c>, with the work it runs. <see cref="RunAsync"/> gets the invocation's output and error writers
/// (standard output and error, or a test's writers) and returns the exit code.
/// </summary>
public abstract class RecoCommand : Command
{
    protected RecoCommand(string name, string summary)
        : base(name, summary)
    {
        SetAction(InvokeAsync);
    }

    /// <summary>What <c>--help</c> says after the options: how the command works, settings, exit codes.</summary>
    public string? Details { get; init; }

    protected abstract Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    /// <summary>
    /// For what the parser cannot see (a file's header, a setting from the environment): says what is wrong on
    /// the error writer, as a parse error is said, and gives the usage exit code.
    /// </summary>
    protected static int UsageError(ParseResult parsed, string message)
    {
        RecoCommandLine.WriteUsageErrors(parsed, [message]);
        return RecoCommandLine.UsageExitCode;
    }

    private async Task<int> InvokeAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var invocation = parsed.InvocationConfiguration;
        try
        {
            return await RunAsync(parsed, invocation.Output, invocation.Error, cancellationToken).ConfigureAwait(false);
        }
        catch (UnusableSettingsException e)
        {
            return UsageError(parsed, e.Message);
        }
    }
}
