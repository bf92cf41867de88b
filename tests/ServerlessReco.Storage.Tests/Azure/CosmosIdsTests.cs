using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Storage.Tests.Azure;

public sealed class CosmosIdsTests
{
    [Theory]
    [InlineData("e-123")]
    [InlineData("h-0123456789abcdef")]
    [InlineData("order:42.view_1")]
    public void PlainIdsAreKeptAsTheyAre(string id) => Assert.Equal(id, CosmosIds.ToDocumentId(id));

    [Theory]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("a\\b?c#d", "a~5Cb~3Fc~23d")]
    [InlineData("50%", "50~25")]
    [InlineData("two words", "two~20words")]
    [InlineData("~", "~7E")]
    [InlineData("é", "~C3~A9")]
    [InlineData("..", "~2E~2E")]
    [InlineData("", "~")]
    public void UnsafeCharactersAreEscaped(string id, string expected) => Assert.Equal(expected, CosmosIds.ToDocumentId(id));

    [Fact]
    public void EscapedIdsUseOnlyCharactersThatSurviveAUrlPath()
    {
        var escaped = CosmosIds.ToDocumentId("sku/1?#\\ 100% \u00e9\ud83d\ude00\ud800 ~h");

        Assert.Matches("^[A-Za-z0-9._:~-]+$", escaped);
    }

    [Fact]
    public void DistinctIdsStayDistinct()
    {
        string[] ids = ["a/b", "a~2Fb", "a%2Fb", "~h00", "~", "", ".", "..", "a b", "a+b", "\ud800", "\ud801", new string('x', 300), new string('x', 301), new string('/', 100)];

        var mapped = ids.Select(CosmosIds.ToDocumentId).ToList();

        Assert.Equal(ids.Length, mapped.Distinct(StringComparer.Ordinal).Count());
        Assert.All(mapped, id => Assert.InRange(id.Length, 1, CosmosIds.MaxLength));
    }
}
