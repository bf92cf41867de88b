using Microsoft.AspNetCore.Http;
using ServerlessReco.Core.Ingestion;
using static ServerlessReco.Functions.Tests.FunctionTestContext;

namespace ServerlessReco.Functions.Tests;

public sealed class EventsFunctionsTests : IDisposable
{
    private readonly FunctionTestContext _context = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _context.Dispose();

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> PostAsync(HttpRequest request) =>
        _context.EventsFunctions.RecordEvents(request, Cancel);

    [Fact]
    public async Task OneEventIsAcceptedAndStored()
    {
        var result = await PostAsync(Request("""{"userId":"u1","itemId":"i1","type":"view"}"""));

        var body = ResultAssert.Json(result, StatusCodes.Status202Accepted);
        Assert.Equal(1, body.GetProperty("stored").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, await _context.Events.CountAsync(Cancel));
    }

    [Fact]
    public async Task PostingTheSameBatchTwiceStoresItOnce()
    {
        const string batch = """
            [{"eventId":"e1","userId":"u1","itemId":"i1","type":"purchase"},
             {"userId":"u1","itemId":"i2","type":"click","timestamp":"2026-11-27T11:00:00Z"}]
            """;
        await PostAsync(Request(batch));

        var again = ResultAssert.Json(await PostAsync(Request(batch)), StatusCodes.Status202Accepted);

        Assert.Equal(0, again.GetProperty("stored").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(2, await _context.Events.CountAsync(Cancel));
    }

    public static TheoryData<string, int?, string> BadBodies => new()
    {
        { "{not json", null, "body" },
        { "42", null, "body" },
        { "[]", null, "body" },
        { """[{"userId":"u","itemId":"i","type":"view"}, "x"]""", 1, "" },
        { """[{"userId":"u","itemId":"i","type":"view"}, {"userId":"u","itemId":"i","type":"shout"}]""", 1, "type" },
        { """{"userId":"","itemId":"i","type":"view"}""", 0, "userId" },
        { """{"userId":"u","itemId":"","type":"view"}""", 0, "itemId" },
        { $$"""{"userId":"u","itemId":"{{new string('i', 129)}}","type":"view"}""", 0, "itemId" },
        { """{"userId":"u\n","itemId":"i","type":"view"}""", 0, "userId" },
        { """{"userId":"u","itemId":"i","type":"view","eventId":"e\u0000"}""", 0, "eventId" },
        { """{"userId":["u"],"itemId":"i","type":"view"}""", 0, "userId" },
        { """{"userId":"u","itemId":"i","type":"rating","value":0}""", 0, "value" },
        { """{"userId":"u","itemId":"i","type":"view","timestamp":"2026-11-27T12:05:01Z"}""", 0, "timestamp" },
        { """{"userId":"u","itemId":"i","type":"view","timestamp":"2026-10-27T11:59:59Z"}""", 0, "timestamp" },
        // Lone UTF-16 surrogates: valid JSON escapes that no .NET string can hold.
        { """{"userId":"u\ud800","itemId":"i","type":"view"}""", 0, "userId" },
        { """{"userId":"u","itemId":"i","type":"view","properties":{"colour":"\udc00"}}""", 0, "properties.colour" },
        { """{"userId":"u","itemId":"i","type":"view","properties":{"\ud800":"x"}}""", 0, "properties (a property name)" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsA400NamingTheEventAndFieldAndStoresNothing(string body, int? index, string field)
    {
        // A valid event first, so that "nothing stored" proves the batch was all or nothing.
        var withValidNeighbour = body.StartsWith('{') ? $$"""[{"userId":"ok","itemId":"ok","type":"view"}, {{body}}]""" : body;
        var expectedIndex = body.StartsWith('{') ? index + 1 : index;

        var errors = ResultAssert.Problem(await PostAsync(Request(withValidNeighbour)), StatusCodes.Status400BadRequest);

        Assert.Contains((expectedIndex, field), errors);
        Assert.Equal(0, await _context.Events.CountAsync(Cancel));
    }

    [Fact]
    public async Task ABatchOverTheLimitIsRefusedWhole()
    {
        var events = string.Join(',', Enumerable.Range(0, IngestionLimits.MaxBatchSize + 1)
            .Select(i => $$"""{"userId":"u","itemId":"i{{i}}","type":"view"}"""));

        var errors = ResultAssert.Problem(await PostAsync(Request($"[{events}]")), StatusCodes.Status400BadRequest);

        Assert.Equal([(null, "body")], errors);
        Assert.Equal(0, await _context.Events.CountAsync(Cancel));
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIsRefusedFromItsDeclaredLength()
    {
        var result = await PostAsync(Request("{}", contentLength: IngestionLimits.MaxBodyBytes + 1));

        ResultAssert.Problem(result, StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIsRefusedWhenItsLengthIsNotDeclared()
    {
        var padding = new string(' ', IngestionLimits.MaxBodyBytes);
        var request = Request($$"""{"userId":"u","itemId":"i","type":"view"}{{padding}}""");
        request.ContentLength = null;

        ResultAssert.Problem(await PostAsync(request), StatusCodes.Status413PayloadTooLarge);
        Assert.Equal(0, await _context.Events.CountAsync(Cancel));
    }

    [Fact]
    public async Task ANonJsonContentTypeIsRefused()
    {
        var result = await PostAsync(Request("userId=u", contentType: "application/x-www-form-urlencoded"));

        ResultAssert.Problem(result, StatusCodes.Status415UnsupportedMediaType);
    }
}
