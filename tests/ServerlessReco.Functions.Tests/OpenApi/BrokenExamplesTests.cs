namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// The docs checks fail when an example is wrong: each page below breaks one rule of openapi.json, read through the
/// same Markdig parser and JsonSchema.Net checks as the real pages, and the problem names the page, the line and the rule.
/// </summary>
public sealed class BrokenExamplesTests
{
    private static readonly ExampleChecks Checks = new(OpenApiSpec.Load());

    private static List<string> Problems(string markdown)
    {
        var examples = MarkdownExamples.Parse("broken.md", markdown);
        var requests = examples.Requests.Where(r => r.ApiPath is not null).ToList();
        Assert.NotEmpty(requests.Cast<object>().Concat(examples.Answers));
        return requests.SelectMany(Checks.RouteAndParameterProblems)
            .Concat(requests.SelectMany(Checks.BodyAndAnswerProblems))
            .Concat(examples.Answers.SelectMany(Checks.AnswerProblems))
            .ToList();
    }

    [Fact]
    public void TheSameExamplesWrittenCorrectlyHaveNoProblems()
    {
        var problems = Problems("""
            ## Record

            ```sh
            curl -s -X POST http://127.0.0.1:7071/api/events -H 'Content-Type: application/json' \
                 -d '{"userId":"user-0001","itemId":"sku-00001","type":"view"}'
            # 202 {"received":1,"stored":1,"duplicates":0}
            curl -s 'http://127.0.0.1:7071/api/users/user-0001/recommendations?count=3'
            ```

            ### `GET /api/trending`

            ```json
            { "category": "Books", "recommendationId": "rec-1", "source": "model", "items": [] }
            ```
            """);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("""{"userId":"user-0001","itemId":"sku-00001","type":"rate"}""", "/type")]
    [InlineData("""{"userId":"user-0001","itemId":"sku-00001","type":"view","colour":"red"}""", "/colour")]
    [InlineData("""{"userId":"","itemId":"sku-00001","type":"view"}""", "/userId")]
    public void ABrokenRequestBodyIsReportedWithItsLine(string body, string where)
    {
        var problems = Problems($"""
            ```sh
            curl -s -X POST http://127.0.0.1:7071/api/events -H 'Content-Type: application/json' \
                 -d '{body}'
            ```
            """);

        Assert.Contains(problems, p => p.StartsWith("broken.md line 2: curl -X POST http://127.0.0.1:7071/api/events body:", StringComparison.Ordinal)
            && p.Contains(where, StringComparison.Ordinal));
    }

    [Fact]
    public void ABrokenAnswerInACommentIsReported()
    {
        var problems = Problems("""
            ```sh
            curl -s -X PUT http://127.0.0.1:7071/api/items -H 'Content-Type: application/json' -d '{"itemId":"sku-9001"}'
            # 200 {"received":1,"upserted":"one"}
            ```
            """);

        Assert.Contains(problems, p => p.StartsWith("broken.md line 2", StringComparison.Ordinal) && p.Contains("(200 application/json): /upserted breaks type", StringComparison.Ordinal));
    }

    [Fact]
    public void ABrokenJsonAnswerUnderARouteHeadingIsReported()
    {
        var problems = Problems("""
            ### `GET /api/trending`

            ```json
            { "category": "Books", "source": "model", "items": [ { "itemId": "sku-1", "score": "high" } ] }
            ```
            """);

        Assert.Contains(problems, p => p.StartsWith("broken.md line 4: answer of GET /api/trending (200 application/json):", StringComparison.Ordinal)
            && p.Contains("breaks required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/items/0/score breaks type", StringComparison.Ordinal));
    }

    [Fact]
    public void AProblemAnswerWithAStatusTheRouteDoesNotDeclareIsReported()
    {
        var problems = Problems("""
            ### `GET /api/trending`

            ```json
            { "type": "https://httpstatuses.io/418", "title": "Teapot", "status": 418 }
            ```
            """);

        Assert.Equal(["broken.md line 4: answer of GET /api/trending: get /trending declares no 418 response."], problems);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071/api/users/user-0001/recommendations?count=500", "query parameter 'count': the value breaks maximum")]
    [InlineData("http://127.0.0.1:7071/api/users/user-0001/recommendations?limit=5", "query parameter 'limit' is not declared")]
    [InlineData("http://127.0.0.1:7071/api/recommendations/user-0001", "the document has no GET /api/recommendations/user-0001")]
    public void AWrongRouteOrParameterIsReported(string url, string expected)
    {
        var problems = Problems($"""
            ```sh
            curl -s '{url}'
            ```
            """);

        Assert.Contains(problems, p => p.StartsWith("broken.md line 2", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }
}
