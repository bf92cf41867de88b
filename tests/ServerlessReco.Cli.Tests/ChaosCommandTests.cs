using System.Text.RegularExpressions;

namespace ServerlessReco.Cli.Tests;

/// <summary>
/// <c>reco chaos</c> against the real emulators (tests/run.sh starts them): faults in 20 % of the Cosmos DB and Blob calls
/// during ingestion, serving, retraining, promotion and erasure, then SIGKILLs of a local host mid-batch and
/// mid-retrain. Every promise a user relies on is read off the printed table, which comes from the stores themselves.
/// </summary>
public sealed partial class ChaosCommandTests
{
    private static Dictionary<string, string?> EmulatorSettings()
    {
        var endpoint = Environment.GetEnvironmentVariable("RECO_TEST_COSMOS_ENDPOINT");
        var key = Environment.GetEnvironmentVariable("RECO_TEST_COSMOS_KEY");
        var blobs = Environment.GetEnvironmentVariable("RECO_TEST_BLOB_CONNECTION_STRING");
        if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(key) || string.IsNullOrEmpty(blobs))
        {
            const string message = "RECO_TEST_COSMOS_ENDPOINT, RECO_TEST_COSMOS_KEY or RECO_TEST_BLOB_CONNECTION_STRING not set: run `bash tests/run.sh`.";
            if (Environment.GetEnvironmentVariable("RECO_TEST_REQUIRE_EMULATORS") == "1")
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return new() { ["Cosmos__Endpoint"] = endpoint, ["Cosmos__Key"] = key, ["ModelStorage__ConnectionString"] = blobs };
    }

    private static Dictionary<string, string> Table(string output) =>
        TableRow().Matches(output).ToDictionary(m => m.Groups[1].Value.Trim(), m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);

    [Fact]
    public async Task UnderStoreFaultsAndHostKillsNothingIsLostNothingIsStoredTwiceAndNoStoreFaultIsA500()
    {
        var run = await Run.RecoAsync(EmulatorSettings(), "chaos", "--events", "300", "--seed", "7");

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        var table = Table(run.Output);
        Assert.True(long.Parse(table["faults injected (rate 20 %)"]) > 30, run.Output);
        Assert.True(long.Parse(table["503 with Retry-After"]) > 0, run.Output); // the faults reached the clients as honest answers
        Assert.Equal("0", table["503 without Retry-After"]);
        Assert.Equal("0", table["500"]);
        Assert.True(long.Parse(table["events accepted (202)"]) >= 1000, run.Output);
        Assert.Equal("0", table["events lost"]);
        Assert.Equal("0", table["duplicates"]);
        var lists = table["lists served / asked"].Split(" / ");
        Assert.Equal(lists[1], lists[0]);
        Assert.Equal("yes", table["current.json names a complete version"]);
        Assert.Equal("2, yes", table["host kills (SIGKILL), published after"]);
        Assert.Equal("4 / 0", table["erased shoppers / left"]);
        Assert.Contains("every promise held", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutStoresItSaysWhichSettingsItNeeds()
    {
        var run = await Run.RecoAsync("chaos");

        Assert.Equal(RecoCommandLine.UsageExitCode, run.ExitCode);
        Assert.Contains("Cosmos__Endpoint", run.Errors, StringComparison.Ordinal);
        Assert.Contains("tests/emulators/run-with.sh", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFaultRateOutsideTenToThirtyPercentIsRefused()
    {
        var run = await Run.RecoAsync("chaos", "--rate", "0.5");

        Assert.Equal(RecoCommandLine.UsageExitCode, run.ExitCode);
        Assert.Contains("--rate must be 0.1 to 0.3", run.Errors, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\| ([^|]+?) +\| ([^|]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
