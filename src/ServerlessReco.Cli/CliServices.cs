using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli;

/// <summary>
/// The services a command runs on, composed exactly as every other host composes them
/// (<see cref="StorageRegistration.AddRecoCore"/>): settings come from environment variables with <c>__</c>
/// separators (<c>Embedded__DataDirectory</c>, <c>Reco__RetentionDays</c>, the Azure settings), and the common
/// command-line shortcuts (<see cref="StoreOptions"/>) are mapped onto the same keys, where they win.
/// </summary>
public static class CliServices
{
    /// <summary>The services with the settings that <paramref name="store"/>'s options set on top of the environment.</summary>
    public static ServiceProvider Build(ParseResult parsed, StoreOptions store, IEnumerable<KeyValuePair<string, string?>>? environment = null) =>
        Build(store.Settings(parsed), environment);

    /// <summary>
    /// Builds the services from the process environment (or <paramref name="environment"/>, for tests) with
    /// <paramref name="overrides"/> (keys with <c>:</c>) on top.
    /// </summary>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> overrides, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(environment.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)));
        }

        var configuration = builder.AddInMemoryCollection(overrides).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRecoCore(configuration);
        services.AddLogging(); // no provider: commands that report progress log to their own output
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // What a host checks at start (every ValidateOnStart option), checked before a command does anything.
        // Throws OptionsValidationException, which a command reports as a usage error.
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException)
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }
}
