namespace ServerlessReco.Cli.Tests;

/// <summary>What `reco` says about itself: every command's help, and refusals of what it does not understand.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> CommandNames() => [.. RecoCommandLine.Create().Subcommands.Select(c => c.Name)];

    [Fact]
    public void EveryCommandUsersTypeIsThere()
    {
        Assert.Equal(
            ["benchmark", "chaos", "click-model-benchmark", "exploration", "help", "import", "models", "promote", "retrain", "retrain-read-benchmark", "sample-shop", "scale-benchmark", "serve-benchmark", "simulate", "simulate-http", "token"],
            RecoCommandLine.Create().Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public async Task EachCommandsHelpListsEveryOptionWithADescription(string name)
    {
        var command = RecoCommandLine.Create().Subcommands.Single(c => c.Name == name);

        var run = await Run.RecoAsync(name, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"reco {name}", run.Output, StringComparison.Ordinal);
        var optionLines = run.Output.Split('\n').SkipWhile(l => l != "Options:").Skip(1).TakeWhile(l => l.Trim().Length > 0).ToList();
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{name} {option.Name} has no description");
            var line = Assert.Single(optionLines, l => FirstColumn(l).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Contains(option.Name));
            Assert.Contains(option.Description!.Split(' ')[0], line, StringComparison.Ordinal);
        }
    }

    /// <summary>An option's line of help up to the gap before its description: names and value placeholder.</summary>
    private static string FirstColumn(string line) => line.Trim().Split("  ")[0];

    [Fact]
    public async Task HelpCommandAndHelpOptionSayTheSame()
    {
        var viaCommand = await Run.RecoAsync("help", "import");
        var viaOption = await Run.RecoAsync("import", "--help");

        Assert.Equal(0, viaCommand.ExitCode);
        Assert.Equal(viaOption.Output, viaCommand.Output);
        Assert.Contains("--retention-days <N>", viaOption.Output, StringComparison.Ordinal);
        Assert.Contains("Exit code 0: every row imported", viaOption.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutACommandTheCommandsAreListedAndNothingIsDone()
    {
        var run = await Run.RecoAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("sample-shop", run.Output, StringComparison.Ordinal);
        Assert.Contains("Load a generated demo shop", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reco import: Unrecognized command or argument '--colour'.", "import", "--file", "x.csv", "--colour", "red")]
    [InlineData("reco: Unrecognized command or argument 'imprt'.", "imprt")]
    [InlineData("reco simulate: Cannot parse argument 'many' for option '--rounds'", "simulate", "--rounds", "many")]
    [InlineData("reco simulate: Argument 'elsewhere' not recognized. Must be one of:", "simulate", "--world", "elsewhere")]
    [InlineData("reco simulate: --seeds must be at least 1, not 0.", "simulate", "--seeds", "0")]
    [InlineData("reco simulate: --data: no MovieLens-100k folder (u.data, u.item, u.genre) at /nowhere/ml-100k.", "simulate", "--world", "movielens", "--data", "/nowhere/ml-100k")]
    [InlineData("reco simulate: --others: thompson, uniform, exploitation-no-click-model, default-no-click-model or none (explore=0 and the default always run).", "simulate", "--others", "default")]
    [InlineData("reco sample-shop: --items must be at least 1, not 0.", "sample-shop", "--items", "0")]
    [InlineData("reco help: there is no command 'imprt'.", "help", "imprt")]
    public async Task WhatIsNotUnderstoodIsRefusedWithExitCodeTwoAndSaysWhy(string message, params string[] args)
    {
        var run = await Run.RecoAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Errors, StringComparison.Ordinal);
        Assert.Contains("--help` lists the options.", run.Errors, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task ABadSettingFromTheEnvironmentIsAUsageError()
    {
        using var data = new TemporaryDataDirectory();

        var run = await Run.RecoAsync(new Dictionary<string, string?> { ["Reco__PromotionTolerance"] = "-1" }, "models", "--data-dir", data.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("reco models: settings: ", run.Errors, StringComparison.Ordinal);
    }
}
