using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco promote VERSION</c>: make a stored version serve (rollback), as the admin route does.</summary>
public sealed class PromoteCommand : ICliCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;

    public PromoteCommand()
        : this(environment: null)
    {
    }

    public PromoteCommand(IEnumerable<KeyValuePair<string, string?>>? environment) => _environment = environment;

    public string Name => "promote";

    public string Summary => "make a stored model version serve (rollback); `reco models` lists them";

    public string Usage => $"""
        reco promote VERSION [--reason TEXT] [--data-dir DIR]

        Points models/current.json at VERSION (conditional on the pointer it read, so a concurrent promotion is not
        overwritten). Every serving instance picks it up at its next check. Exit code 1 for an unknown version.
          --reason TEXT          recorded in models/current.json (default "rollback by CLI")
        {CliServices.ShortcutUsage}
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var reason = arguments.Option("reason", "rollback by CLI");
        await using var services = await CliServices.BuildAsync(arguments, _environment, cancellationToken);
        if (arguments.Positional.Count != 1)
        {
            throw new CliUsageException("name one version: reco promote VERSION.");
        }

        CliUsage.RejectUnread(arguments, allowPositional: true);
        var version = arguments.Positional[0];
        var registry = services.GetRequiredService<ModelRegistry>();
        try
        {
            var pointer = await registry.RollbackAsync(version, reason, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{pointer.Version} serves now (was {pointer.PreviousVersion ?? "none"}): {pointer.Reason}");
            return 0;
        }
        catch (UnknownModelVersionException)
        {
            output.WriteLine($"there is no model version '{version}'; `reco models` lists them");
            return 1;
        }
        catch (BlobConditionFailedException)
        {
            output.WriteLine("another promotion happened meanwhile; check `reco models` and try again");
            return 1;
        }
    }
}
