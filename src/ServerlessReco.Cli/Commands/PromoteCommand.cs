using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco promote VERSION</c>: make a stored version serve (rollback), as the admin route does.</summary>
public sealed class PromoteCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();
    private readonly Argument<string> _version = new("VERSION") { Description = "the version to serve, as `reco models` lists it" };
    private readonly Option<string> _reason = new("--reason")
    {
        HelpName = "TEXT",
        Description = "recorded in models/current.json",
        DefaultValueFactory = _ => "rollback by CLI",
    };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public PromoteCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("promote", "Make a stored model version serve (rollback); `reco models` lists them.")
    {
        _environment = environment;
        Details = $"""
            Points models/current.json at VERSION (conditional on the pointer it read, so a concurrent promotion is not
            overwritten). Every serving instance picks it up at its next check. Exit code 1 for an unknown version.
            {StoreOptions.EnvironmentNote}
            """;
        Add(_version);
        Add(_reason);
        _store.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var version = parsed.GetRequiredValue(_version);
        var reason = parsed.GetRequiredValue(_reason);
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
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
