using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Embedded;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli.Tests;

public sealed partial class ImportCommandTests : IDisposable
{
    private const string Csv = """
        userId,itemId,type,value,timestamp
        u1,i1,view,,{0}
        u1,i2,rating,4,{0}
        u2,i1,purchase,,{0}
        """;

    private readonly TemporaryDataDirectory _data = new();

    private string RecentCsv(string name = "history.csv") =>
        _data.File(name, string.Format(CultureInfo.InvariantCulture, Csv, DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds()));

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task ImportsMl100kIntoSqliteExactlyOnce()
    {
        var uData = FindMl100k();
        var store = Path.Combine(_data.Path, "store");
        var clock = Stopwatch.StartNew();

        var run = await Run.ImportAsync("--file", uData, "--data-dir", store, "--retention-days", "0");

        clock.Stop();
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("imported 100,000 rows: 100,000 stored, 0 duplicates, 0 rejected", run.Output);
        Assert.Equal(100_000L, (await TemporaryDataDirectory.ReadStoreAsync(store)).Events);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"ml-100k into SQLite: {100_000 / clock.Elapsed.TotalSeconds:N0} events/s ({clock.Elapsed.TotalSeconds:F1} s) — {run.Output.Trim()}");
    }

    [Fact]
    public async Task ImportsACsvAndAgainStoresNothingNew()
    {
        var file = RecentCsv();
        var store = Path.Combine(_data.Path, "store");

        var first = await Run.ImportAsync("--file", file, "--data-dir", store);
        var second = await Run.ImportAsync("--file", file, "--data-dir", store);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("imported 3 rows: 3 stored, 0 duplicates, 0 rejected", first.Output);
        Assert.Contains("imported 3 rows: 0 stored, 3 duplicates, 0 rejected", second.Output);
        Assert.Equal(3L, (await TemporaryDataDirectory.ReadStoreAsync(store)).Events);
    }

    [Fact]
    public async Task ImportedUserIdsAreStoredAsPseudonymsUnderTheDataDirectorysKey()
    {
        var store = Path.Combine(_data.Path, "store");

        var run = await Run.ImportAsync("--file", RecentCsv(), "--data-dir", store);

        Assert.Equal(0, run.ExitCode);
        // Read behind the door, straight from SQLite: the composition every host uses generated the key and applied it.
        var key = UserPseudonymiser.FromBase64(await File.ReadAllTextAsync(LocalPseudonymKeyFile.PathIn(store), TestContext.Current.CancellationToken));
        var stored = await new SqliteEventStore(new SqliteDatabase(Path.Combine(store, "reco.db")), RetentionPolicy.Forever)
            .ReadAllAsync(cancellationToken: TestContext.Current.CancellationToken)
            .Select(e => e.UserId)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new[] { "u1", "u1", "u2" }.Select(key.Pseudonymise).Order(), stored.Order());
    }

    [Fact]
    public async Task RejectedRowsAreListedByLineAndFieldAndExitWithOne()
    {
        var at = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        var file = _data.File("events.jsonl", $$"""
            {"userId":"u1","itemId":"i1","type":"view","timestamp":"{{DateTimeOffset.FromUnixTimeSeconds(at):O}}"}
            {"userId":"u2","itemId":"i2","type":"rating","value":9}
            {"userId":"u3","itemId":"i3","type":"view"}
            """);
        var store = Path.Combine(_data.Path, "store");

        var run = await Run.ImportAsync("--file", file, "--data-dir", store);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file}:2: value must be a rating from 1 to 5", run.Errors);
        Assert.Contains("imported 3 rows: 2 stored, 0 duplicates, 1 rejected", run.Output);
        Assert.Equal(2L, (await TemporaryDataDirectory.ReadStoreAsync(store)).Events);
    }

    [Fact]
    public async Task OldHistoryUnderTheDefaultRetentionSaysToKeepEventsForever()
    {
        var file = _data.File("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");

        var run = await Run.ImportAsync("--file", file, "--data-dir", Path.Combine(_data.Path, "store"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 rows are older than the retention period of 365 days", run.Errors);
        Assert.Contains("--retention-days 0", run.Errors);
    }

    [Fact]
    public async Task TheDataDirectoryComesFromTheEnvironmentLikeEveryOtherSetting()
    {
        var store = Path.Combine(_data.Path, "from-environment");

        var run = await Run.ImportAsync(
            new Dictionary<string, string?> { ["Embedded__DataDirectory"] = store, ["Reco__RetentionDays"] = "30" },
            "--file", RecentCsv());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"SQLite at {Path.Combine(store, "reco.db")}", run.Errors);
        Assert.Contains("retention 30 days", run.Errors);
        Assert.Equal(3L, (await TemporaryDataDirectory.ReadStoreAsync(store)).Events);
    }

    [Fact]
    public async Task TheFormatIsGuessedFromTheNameOrGiven()
    {
        var store = Path.Combine(_data.Path, "store");
        var renamed = RecentCsv("history.txt");

        var unknown = await Run.ImportAsync("--file", renamed, "--data-dir", store);
        var run = await Run.ImportAsync("--file", renamed, "--format", "csv", "--data-dir", store);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("reco import: cannot tell the format of 'history.txt' from its name: give --format", unknown.Errors);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("as csv", run.Errors);
    }

    [Theory]
    [InlineData("Option '--file' is required.", "--data-dir", "x")]
    [InlineData("there is no file 'missing.csv'.", "--file", "missing.csv")]
    [InlineData("--format must be one of csv, jsonl, movielens, not 'xml'.", "--file", "{csv}", "--format", "xml")]
    [InlineData("--retention-days must be 0 (keep forever) or a positive number of days, not -1.", "--file", "{csv}", "--retention-days", "-1")]
    [InlineData("Unrecognized command or argument '--colour'.", "--file", "{csv}", "--colour", "red")]
    [InlineData("the header names 'user', which is not an event field", "--file", "{badheader}")]
    public async Task UsageErrorsAreRefusedBeforeAnythingIsStored(string message, params string[] args)
    {
        var csv = RecentCsv();
        var badHeader = _data.File("bad.csv", "user,item,kind\nu1,i1,view\n");
        var store = Path.Combine(_data.Path, "store");
        var resolved = args.Select(a => a.Replace("{csv}", csv).Replace("{badheader}", badHeader))
            .Concat(args.Contains("--data-dir") ? [] : ["--data-dir", store]).ToArray();

        var run = await Run.ImportAsync(resolved);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"reco import: ", run.Errors, StringComparison.Ordinal);
        Assert.Contains(message, run.Errors, StringComparison.Ordinal);
        Assert.Contains("`reco import --help` lists the options.", run.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(store, "reco.db")) && (await TemporaryDataDirectory.ReadStoreAsync(store)).Events > 0);
    }

    [Fact]
    public async Task TheProgramExitsWithTwoOnUsageErrorsAndOneOnRejectedRows()
    {
        var reco = Path.Combine(AppContext.BaseDirectory, "reco.dll");
        var store = Path.Combine(_data.Path, "store");
        var bad = _data.File("bad.jsonl", "{\"userId\":\"\",\"itemId\":\"i\",\"type\":\"view\"}\n");

        Assert.Equal(2, (await RunProcessAsync(reco, "import", "--data-dir", store)).ExitCode);
        var rejected = await RunProcessAsync(reco, "import", "--file", bad, "--data-dir", store);
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("userId must not be empty", rejected.Errors);
        Assert.Matches(SummaryLine(), rejected.Output);
    }

    private static async Task<CommandRun> RunProcessAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CommandRun(process.ExitCode, await output, await errors);
    }

    /// <summary>u.data of MovieLens-100k beside the repository (never inside it: its licence forbids that).</summary>
    private static string FindMl100k()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "ml-100k", "u.data");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Skip("shared/data/ml-100k/u.data is not beside the repository");
        return null!;
    }

    [GeneratedRegex(@"^imported 1 rows: 0 stored, 0 duplicates, 1 rejected in [\d.]+ s", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
