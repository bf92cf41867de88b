using System.CommandLine;

namespace ServerlessReco.Cli;

/// <summary>
/// The options of every command that opens the store: shortcuts for two settings, which win over the
/// environment. Each command has its own instance (an option belongs to one command).
/// </summary>
public sealed class StoreOptions
{
    public const string EnvironmentNote =
        "Other settings (Cosmos DB, Blob storage) come from environment variables with __ separators, as in the Functions app.";

    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        HelpName = "DIR",
        Description = "where the embedded store keeps its files (setting Embedded__DataDirectory; default .reco-data)",
    };

    public Option<int?> RetentionDays { get; } = new("--retention-days")
    {
        HelpName = "N",
        Description = "days events are kept, 0 forever (setting Reco__RetentionDays; default 365)",
    };

    public StoreOptions() =>
        RetentionDays.Check(days => days is < 0 ? $"--retention-days must be 0 (keep forever) or a positive number of days, not {days}." : null);

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(DataDirectory);
        command.Add(RetentionDays);
    }

    /// <summary>The settings the options given set (keys with <c>:</c>), for <see cref="CliServices.BuildAsync(IReadOnlyDictionary{string, string?}, IEnumerable{KeyValuePair{string, string?}}?, CancellationToken)"/>.</summary>
    public Dictionary<string, string?> Settings(ParseResult parsed)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (parsed.GetValue(DataDirectory) is { } directory)
        {
            settings["Embedded:DataDirectory"] = directory;
        }

        if (parsed.GetValue(RetentionDays) is { } days)
        {
            settings["Reco:RetentionDays"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }
}
