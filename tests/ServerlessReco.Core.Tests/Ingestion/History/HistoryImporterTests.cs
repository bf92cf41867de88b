using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Ingestion.History;

namespace ServerlessReco.Core.Tests.Ingestion.History;

public class HistoryImporterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 18, 0, 0, TimeSpan.Zero);

    private readonly InMemoryEventStore _store = new();

    private HistoryImporter Importer(int retentionDays = 365) =>
        new(_store, new FakeTimeProvider(Now), new RetentionPolicy(retentionDays));

    private Task<ImportResult> ImportAsync(string text, HistoryFormat format, int retentionDays = 365, IProgress<ImportProgress>? progress = null) =>
        Importer(retentionDays).ImportAsync(new StringReader(text), format, progress, TestContext.Current.CancellationToken);

    private BehaviorEvent Stored(string eventId) => Assert.Single(_store.Events, e => e.EventId == eventId);

    [Fact]
    public async Task CsvRowsBecomeEventsWithEveryField()
    {
        var result = await ImportAsync(
            """"
            userId,type,itemId,value,timestamp,eventId,sessionId,recommendationId
            u1,rating,i1,4.5,2026-11-20T10:00:00Z,e1,s1,r1
            u2,view,"item, with comma and ""quotes""",,1795176000,e2,,
            u3,purchase,i3,,2026-11-21T08:30:00+02:00,,,
            """",
            HistoryFormat.Csv);

        Assert.Equal((3L, 3L, 0L, 0L), (result.RowsRead, result.Stored, result.Duplicates, result.Rejected));
        Assert.Equal(
            new BehaviorEvent
            {
                EventId = "e1",
                UserId = "u1",
                ItemId = "i1",
                Type = EventType.Rating,
                Value = 4.5,
                Timestamp = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero),
                SessionId = "s1",
                RecommendationId = "r1",
                Properties = Stored("e1").Properties,
            },
            Stored("e1"));

        var view = Stored("e2");
        Assert.Equal("item, with comma and \"quotes\"", view.ItemId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795176000), view.Timestamp);
        Assert.Null(view.Value);
        Assert.Null(view.SessionId);

        // No eventId column value: the id is derived from the content, as for a POST without one.
        var purchase = Assert.Single(_store.Events, e => e.UserId == "u3");
        var at = new DateTimeOffset(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);
        Assert.Equal(at, purchase.Timestamp);
        Assert.Equal(EventIdentity.FromContent("u3", "i3", EventType.Purchase, null, at, null, null), purchase.EventId);
    }

    [Fact]
    public async Task CsvQuotedLineBreaksKeepLaterLineNumbersRight()
    {
        var result = await ImportAsync(
            "userId,itemId,type\nu1,\"two\nlines\",view\nu2,i2,jump\nu3,\"three, quoted\",view\n",
            HistoryFormat.Csv);

        // The line break is read as part of the field (and then refused by the id rules); the row after it
        // is still known by its own line.
        Assert.Equal([(2L, "itemId"), (4L, "type")], result.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.Contains("control characters", result.Errors[0].Message);
        Assert.Equal("three, quoted", Assert.Single(_store.Events).ItemId);
    }

    [Fact]
    public async Task CsvWithWindowsLineEndsABomBlankLinesAndPaddedHeaderNamesReadsLikeAnyOther()
    {
        var result = await ImportAsync(
            "\uFEFF userId , ItemId,type,timestamp\r\nu1,i1,view,2026-11-26T12:00:00Z\r\n\r\nu2,\"i, 2\",click,2026-11-26T12:00:00Z\r\nu3,i3,jump,\r\n",
            HistoryFormat.Csv);

        Assert.Equal((3L, 2L, 1L), (result.RowsRead, result.Stored, result.Rejected));
        Assert.Equal((5L, "type"), (result.Errors.Single().Line, result.Errors.Single().Field));
        Assert.Equal(["i, 2", "i1"], _store.Events.Select(e => e.ItemId).Order().ToArray());
    }

    [Fact]
    public async Task ReadingCsvLeavesTheCallersTextOpen()
    {
        using var text = new StringReader("userId,itemId,type\nu1,i1,view\n");

        await Importer().ImportAsync(text, HistoryFormat.Csv, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(-1, text.Peek()); // read to the end, and not disposed (that would throw)
    }

    [Theory]
    [InlineData("user,itemId,type", "line 1: the header names 'user', which is not an event field")]
    [InlineData("userId,itemId", "must name type")]
    [InlineData("userId,itemId,type,userId", "names 'userId' twice")]
    public async Task CsvHeaderThatNamesNoEventFieldsStopsTheImport(string header, string message)
    {
        var e = await Assert.ThrowsAsync<HistoryFormatException>(() => ImportAsync($"{header}\nu1,i1,view\n", HistoryFormat.Csv));
        Assert.Contains(message, e.Message);
        Assert.Empty(_store.Events);
    }

    [Fact]
    public async Task JsonLinesTakeExactlyThePostShape()
    {
        var result = await ImportAsync(
            """
            {"eventId":"e1","userId":"u1","itemId":"i1","type":"click","timestamp":"2026-11-26T12:00:00Z","recommendationId":"r9","properties":{"page":"home"}}

            {"userId":"u2","itemId":"i2","type":"rating","value":5,"timestamp":"2026-11-26T13:00:00Z"}
            """,
            HistoryFormat.JsonLines);

        Assert.Equal((2L, 2L, 0L), (result.RowsRead, result.Stored, result.Rejected));
        var click = Stored("e1");
        Assert.Equal((EventType.Click, "r9", "home"), (click.Type, click.RecommendationId, click.Properties["page"]));
        Assert.Equal(5, Assert.Single(_store.Events, e => e.UserId == "u2").Value);
    }

    [Fact]
    public async Task MovieLensRowsBecomeRatingEventsWithDeterministicIds()
    {
        var result = await ImportAsync("196\t242\t3\t881250949\n186\t302\t3\t891717742\n", HistoryFormat.MovieLens, retentionDays: 0);

        Assert.Equal(2L, result.Stored);
        Assert.Equal(
            new BehaviorEvent
            {
                EventId = "ml:196:242:881250949",
                UserId = "196",
                ItemId = "242",
                Type = EventType.Rating,
                Value = 3,
                Timestamp = DateTimeOffset.FromUnixTimeSeconds(881250949),
                Properties = Stored("ml:196:242:881250949").Properties,
            },
            Stored("ml:196:242:881250949"));
        Assert.Equal("186", Stored("ml:186:302:891717742").UserId);
    }

    [Fact]
    public async Task BadRowsAreReportedByLineAndFieldAndTheRestIsImported()
    {
        var result = await ImportAsync(
            """
            userId,itemId,type,value,timestamp
            u1,i1,view,,2026-11-26T12:00:00Z
            u2,i2,jump,,2026-11-26T12:00:00Z
            u3,i3,rating,7,2026-11-26T12:00:00Z
            u4,i4,rating,much,2026-11-26T12:00:00Z
            u5,i5,view,,2027-01-01T00:00:00Z
            u6,i6,view
            ,i7,view,,
            u8,i8,click,,1795780800
            """,
            HistoryFormat.Csv);

        Assert.Equal((8L, 2L, 6L), (result.RowsRead, result.Stored, result.Rejected));
        Assert.Equal(
            [(3L, "type"), (4L, "value"), (5L, "value"), (6L, "timestamp"), (7L, ""), (8L, "userId")],
            result.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.Contains("'jump' is not an event type", result.Errors[0].Message);
        Assert.Contains("in the future", result.Errors[3].Message);
        Assert.Equal(["u1", "u8"], _store.Events.Select(e => e.UserId).Order().ToArray());
    }

    [Theory]
    [InlineData(HistoryFormat.JsonLines, "{\"userId\":\"u1\",\"itemId\":\"i1\",\"type\":\"view\"}\n\n   \n{\"userId\":\"u2\"}\n")]
    [InlineData(HistoryFormat.MovieLens, "1\t10\t4\t881250949\n\n   \nnot a rating\n")]
    public async Task BlankLinesAreSkippedButCountedSoAProblemNamesTheFilesLine(HistoryFormat format, string file)
    {
        var result = await ImportAsync(file, format, retentionDays: 0);

        Assert.Equal((2L, 1L, 1L), (result.RowsRead, result.Stored, result.Rejected));
        Assert.NotEmpty(result.Errors); // the JSON line misses two fields, each its own error
        Assert.All(result.Errors, e => Assert.Equal(4L, e.Line));
    }

    [Fact]
    public async Task BadJsonLinesAreReportedAndSkipped()
    {
        var result = await ImportAsync(
            """
            {"userId":"u1","itemId":"i1","type":"view"
            ["not", "an", "object"]
            {"userId":"u3","itemId":"i3","type":"view","colour":"red"}
            {"userId":"u4","itemId":"i4","type":"view"}
            {"userId":"u5","itemId":"i5\ud800","type":"view"}
            """,
            HistoryFormat.JsonLines);

        Assert.Equal((5L, 1L, 4L), (result.RowsRead, result.Stored, result.Rejected));
        Assert.Equal([(1L, ""), (2L, ""), (3L, "colour"), (5L, "itemId")], result.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.Contains("not valid JSON", result.Errors[0].Message);
    }

    [Fact]
    public async Task ImportingTheSameFileAgainStoresNothingNewAndCountsDuplicates()
    {
        const string File = "userId,itemId,type,timestamp\nu1,i1,view,2026-11-26T12:00:00Z\nu1,i2,click,2026-11-26T12:01:00Z\nu2,i1,view,2026-11-26T12:02:00Z\n";
        var first = await ImportAsync(File, HistoryFormat.Csv);
        var second = await ImportAsync(File, HistoryFormat.Csv);

        Assert.Equal((3L, 0L), (first.Stored, first.Duplicates));
        Assert.Equal((3L, 0L, 3L, 0L), (second.RowsRead, second.Stored, second.Duplicates, second.Rejected));
        Assert.Equal(3, _store.Events.Count);
    }

    [Fact]
    public async Task HistoryOlderThanRetentionIsRejectedWithAdviceToKeepEventsForever()
    {
        var result = await ImportAsync("1\t10\t4\t881250949\n2\t20\t5\t4102444800\n", HistoryFormat.MovieLens, retentionDays: 365);

        Assert.Equal((2L, 0L, 2L), (result.RowsRead, result.Stored, result.Rejected));

        // Only the 1997 row is too old; the one in 2100 is in the future, which retention 0 would not cure.
        Assert.Equal(1L, result.OlderThanRetention);
        Assert.Contains("older than the retention period of 365 days", result.Errors[0].Message);
        Assert.Contains("retention 0", result.Errors[0].Message);
        Assert.DoesNotContain("retention 0", result.Errors[1].Message);
    }

    [Fact]
    public async Task StoresInBatchesOfAThousandAndReportsProgress()
    {
        var lines = string.Concat(Enumerable.Range(0, 2_500).Select(i => $"u{i % 7}\t{i}\t4\t{1_700_000_000 + i}\n"));
        var reports = new List<ImportProgress>();

        var result = await ImportAsync(lines, HistoryFormat.MovieLens, retentionDays: 0, new SynchronousProgress(reports.Add));

        Assert.Equal([1_000, 1_000, 500], _store.BatchSizes);
        Assert.Equal(2_500L, result.Stored);
        Assert.Equal([1_000L, 2_000L, 2_500L], reports.Select(r => r.RowsRead).ToArray());
        Assert.Equal(new ImportProgress(2_500, 2_500, 0, 0, reports[^1].Elapsed), reports[^1]);
    }

    [Fact]
    public async Task ReadsTheFileAsItGoesRatherThanAllAtOnce()
    {
        var file = new CountingLines(50_000, i => $"u{i % 13}\t{i}\t3\t{1_700_000_000 + i}");
        long linesReadAtFirstAppend = -1;
        _store.OnAppend = () => Interlocked.CompareExchange(ref linesReadAtFirstAppend, file.LinesRead, -1);

        var result = await Importer(0).ImportAsync(file, HistoryFormat.MovieLens, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(50_000L, result.Stored);
        Assert.InRange(linesReadAtFirstAppend, HistoryImporter.BatchSize, 3 * HistoryImporter.BatchSize);
    }

    [Theory]
    [InlineData("history.csv", HistoryFormat.Csv)]
    [InlineData("events.JSONL", HistoryFormat.JsonLines)]
    [InlineData("events.ndjson", HistoryFormat.JsonLines)]
    [InlineData("/data/ml-100k/u.data", HistoryFormat.MovieLens)]
    [InlineData("ratings.data", HistoryFormat.MovieLens)]
    public void FormatIsGuessedFromTheFileName(string path, HistoryFormat expected) =>
        Assert.Equal(expected, HistoryFormats.FromFileName(path));

    [Fact]
    public void AnUnknownExtensionGuessesNothing() => Assert.Null(HistoryFormats.FromFileName("events.txt"));

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post them elsewhere, out of order).</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>A long file made up line by line, counting how far it has been read.</summary>
    private sealed class CountingLines(int count, Func<int, string> line) : TextReader
    {
        private long _read;

        public long LinesRead => Interlocked.Read(ref _read);

        public override string? ReadLine() => _read < count ? line((int)Interlocked.Increment(ref _read) - 1) : null;

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

        public override Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
    }
}
