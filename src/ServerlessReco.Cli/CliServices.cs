using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli;

/// <summary>
/// The services a command runs on, composed exactly as every other host composes them
/// (<see cref="RecoComposition.AddRecoCore"/>): settings come from environment variables with <c>__</c>
/// separators (<c>Embedded__DataDirectory</c>, <c>Reco__RetentionDays</c>, the Azure settings), and the common
/// command-line shortcuts are mapped onto the same keys, where they win.
/// </summary>
public static class CliServices
{
    /// <summary>The shortcut options every storage-using command accepts, and the setting each one sets.</summary>
    public static IReadOnlyDictionary<string, string> Shortcuts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["data-dir"] = "Embedded:DataDirectory",
        ["retention-days"] = "Reco:RetentionDays",
    };

    public const string ShortcutUsage = """
          --data-dir DIR         where the embedded store keeps its files (setting Embedded__DataDirectory; default .reco-data)
          --retention-days N     days events are kept, 0 forever (setting Reco__RetentionDays; default 365)
        Other settings (Cosmos DB, Blob storage) come from environment variables, as in the Functions app.
        """;

    /// <summary>Reads the shortcut options from <paramref name="arguments"/> and builds the services.</summary>
    public static Task<ServiceProvider> BuildAsync(
        CliArguments arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null, CancellationToken cancellationToken = default)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (option, key) in Shortcuts)
        {
            if (arguments.Option(option) is { } value)
            {
                overrides[key] = value;
            }
        }

        if (overrides.TryGetValue("Reco:RetentionDays", out var days)
            && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 0))
        {
            throw new CliUsageException($"--retention-days must be 0 (keep forever) or a positive number of days, not '{days}'.");
        }

        return BuildAsync(overrides, environment, cancellationToken);
    }

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
            throw new CliUsageException(e switch
            {
                StorageSchemaException => $"storage: {e.Message}",
                OptionsValidationException => $"settings: {e.Message}",
                _ => $"settings: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}", // a value the binder could not convert
            });
        }

        return provider;
    }
}
