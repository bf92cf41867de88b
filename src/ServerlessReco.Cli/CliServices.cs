using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli;

/// <summary>
/// The services a command runs on, composed exactly as every other host composes them
/// (<see cref="RecoComposition.AddRecoCore"/>): settings come from environment variables with <c>__</c>
/// separators (<c>Embedded__DataDirectory</c>, <c>Reco__RetentionDays</c>, the Azure settings), and the common
/// command-line shortcuts (<see cref="StoreOptions"/>) are mapped onto the same keys, where they win.
/// </summary>
public static class CliServices
{
    /// <summary>The services with the settings that <paramref name="store"/>'s options set on top of the environment.</summary>
    public static Task<ServiceProvider> BuildAsync(
        ParseResult parsed, StoreOptions store, IEnumerable<KeyValuePair<string, string?>>? environment = null, CancellationToken cancellationToken = default) =>
        BuildAsync(store.Settings(parsed), environment, cancellationToken);

    /// <summary>
    /// Builds the services from the process environment (or <paramref name="environment"/>, for tests) with
    /// <paramref name="overrides"/> (keys with <c>:</c>) on top, and does what a host does at start: checks the
    /// settings and prepares the storage.
    /// </summary>
    public static async Task<ServiceProvider> BuildAsync(
        IReadOnlyDictionary<string, string?> overrides, IEnumerable<KeyValuePair<string, string?>>? environment = null, CancellationToken cancellationToken = default)
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

        // What a host does at start (check every ValidateOnStart option, create what the storage needs), done before a
        // command does anything.
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
            await provider.GetRequiredService<StorageSchema>().EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OptionsValidationException or StorageSchemaException or InvalidOperationException)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw new UnusableSettingsException(e switch
            {
                StorageSchemaException => $"storage: {e.Message}",
                OptionsValidationException => $"settings: {e.Message}",
                _ => $"settings: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}", // a value the binder could not convert
            });
        }

        return provider;
    }
}

/// <summary>
/// The settings (from the environment or the store options) are invalid, or the storage they name cannot be
/// prepared: reported by <see cref="RecoCommand"/> as a usage error, exit code 2.
/// </summary>
public sealed class UnusableSettingsException(string message) : Exception(message);
