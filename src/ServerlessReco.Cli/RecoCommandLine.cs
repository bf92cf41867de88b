using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ServerlessReco.Cli.Commands;

namespace ServerlessReco.Cli;

/// <summary>
/// The <c>reco</c> command tree and how it is run: parse errors and usage errors are written to standard error
/// with a pointer to <c>--help</c> and end with exit code 2; a command's own exit code otherwise.
/// </summary>
public static class RecoCommandLine
{
    /// <summary>The exit code of a command line that makes no sense (0 and 1 are the commands' own).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Every command. <paramref name="environment"/>: settings instead of the process environment (tests).</summary>
    public static Command Create(IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        // A plain command named reco rather than RootCommand, which takes its name from the running executable
        // (dotnet's, a test host's): help and errors say `reco` however the program was started.
        var root = new Command("reco", "reco: the ServerlessReco command line")
        {
            new HelpOption(),
            new VersionOption(),
            new ImportCommand(environment),
            new SampleShopCommand(environment),
            new RetrainCommand(environment),
            new ModelsCommand(environment),
            new PromoteCommand(environment),
            new ExplorationCommand(environment),
            new TokenCommand(environment),
            new Commands.Chaos.ChaosCommand(environment),
            new SimulateCommand(),
            new SimulateHttpCommand(),
            new BenchmarkCommand(),
            new ScaleBenchmarkCommand(),
            new ServeBenchmarkCommand(),
            new RetrainReadBenchmarkCommand(),
            new ClickModelBenchmarkCommand(),
        };
        root.Add(new HelpCommand(root));
        var help = root.Options.OfType<HelpOption>().Single();
        var withDetails = new HelpWithDetails((HelpAction)help.Action!);
        help.Action = withDetails;

        // Without a command: the list of commands, and a non-zero exit (nothing was done).
        root.SetAction(parsed =>
        {
            withDetails.Invoke(parsed);
            return 1;
        });
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Task<int> InvokeAsync(
        string[] args, TextWriter output, TextWriter error, IEnumerable<KeyValuePair<string, string?>>? environment = null,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(Create(environment), args, output, error, cancellationToken);

    public static async Task<int> InvokeAsync(Command root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            WriteUsageErrors(parsed, parsed.Errors.Select(e => e.Message), error);
            return UsageExitCode;
        }

        // Ctrl+C cancels the command's token; a command that has not stopped 10 s later is ended.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <c>reco COMMAND: message</c> for each message, then where the options are listed.</summary>
    internal static void WriteUsageErrors(ParseResult parsed, IEnumerable<string> messages, TextWriter? error = null)
    {
        error ??= parsed.InvocationConfiguration.Error;
        var command = CommandPath(parsed);
        foreach (var message in messages)
        {
            error.WriteLine($"{command}: {message}");
        }

        error.WriteLine($"`{command} --help` lists the options.");
    }

    private static string CommandPath(ParseResult parsed) =>
        parsed.CommandResult.Parent is null ? "reco" : $"reco {parsed.CommandResult.Command.Name}";

    /// <summary>The standard help, then the command's <see cref="RecoCommand.Details"/>.</summary>
    private sealed class HelpWithDetails(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            standard.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RecoCommand { Details: { } details })
            {
                parseResult.InvocationConfiguration.Output.WriteLine(details);
                parseResult.InvocationConfiguration.Output.WriteLine();
            }

            return 0;
        }
    }

    /// <summary><c>reco help [COMMAND]</c>: the same as <c>reco [COMMAND] --help</c>.</summary>
    private sealed class HelpCommand : Command
    {
        public HelpCommand(Command root)
            : base("help", "List the commands, or one command's options: reco help COMMAND.")
        {
            var topic = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne, Description = "the command to explain" };
            Add(topic);
            SetAction((parsed, cancellationToken) =>
            {
                var name = parsed.GetValue(topic);
                if (name is not null && !root.Subcommands.Any(c => c.Name == name))
                {
                    WriteUsageErrors(parsed, [$"there is no command '{name}'."]);
                    return Task.FromResult(UsageExitCode);
                }

                string[] args = name is null ? ["--help"] : [name, "--help"];
                var invocation = parsed.InvocationConfiguration;
                return InvokeAsync(root, args, invocation.Output, invocation.Error, cancellationToken);
            });
        }
    }
}
