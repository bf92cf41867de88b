namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>The API examples of README.md and docs/*.md are requests and answers the OpenAPI document allows.</summary>
public sealed class DocsExamplesTests
{
    private static readonly ExampleChecks Checks = new(OpenApiSpec.Load());

    private static readonly List<Examples> Pages =
        RepositoryFiles.MarkdownPages.Select(page => MarkdownExamples.Parse(page, File.ReadAllText(RepositoryFiles.PathOf(page)))).ToList();

    private static IEnumerable<CurlExample> ApiRequests => Pages.SelectMany(p => p.Requests).Where(r => r.ApiPath is not null);

    private static IEnumerable<JsonExample> Answers => Pages.SelectMany(p => p.Answers);

    [Fact]
    public void TheDocsHaveExamplesOfEveryKindToCheck()
    {
        Assert.True(ApiRequests.Count() >= 10, $"Only {ApiRequests.Count()} curl examples of /api/ routes were found.");
        Assert.True(ApiRequests.Count(r => r.Body is not null) >= 3, "Too few request bodies were found.");
        Assert.True(ApiRequests.Count(r => r.Response is not null) >= 3, "Too few '# 200 {...}' answers were found.");
        Assert.True(Answers.Count() >= 4, "Too few JSON answers under route headings were found.");
        Assert.Contains(ApiRequests, r => r.File == "README.md");
    }

    [Fact]
    public void EveryCurlExampleIsAnOperationOfTheDocumentWithDeclaredParameters()
    {
        AssertNone(ApiRequests.SelectMany(Checks.RouteAndParameterProblems));
    }

    [Fact]
    public void EveryRequestBodyAndAnswerOfACurlExampleValidatesAgainstItsSchema()
    {
        AssertNone(ApiRequests.SelectMany(Checks.BodyAndAnswerProblems));
    }

    [Fact]
    public void EveryJsonAnswerUnderARouteHeadingValidatesAgainstThatRoutesResponses()
    {
        AssertNone(Answers.SelectMany(Checks.AnswerProblems));
    }

    /// <summary>Fails with every problem in full, one a line (xunit would shorten each to a few dozen characters).</summary>
    private static void AssertNone(IEnumerable<string> problems)
    {
        var all = problems.ToList();
        Assert.True(all.Count == 0, string.Join(Environment.NewLine, all));
    }
}
