using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Core.Tests.Ingestion;

public class ItemParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly ItemParser _parser = new(new FakeTimeProvider(Now));

    private BatchParseResult<CatalogItem> Parse(string json) => _parser.ParseBatch(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void EveryFieldIsRead()
    {
        var item = Assert.Single(Parse("""
            {"itemId":"sku-1","title":"Trail shoe","category":"shoes","tags":["trail","red"],"price":89.95,"available":false,"createdAt":"2026-11-01T00:00:00Z"}
            """).Elements);

        Assert.Equal("Trail shoe", item.Title);
        Assert.Equal("shoes", item.Category);
        Assert.Equal(["trail", "red"], item.Tags);
        Assert.Equal(89.95m, item.Price);
        Assert.False(item.Available);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), item.CreatedAt);
    }

    [Fact]
    public void ADescriptionIsReadUpToItsLimitAndRefusedBeyond()
    {
        var longest = new string('a', IngestionLimits.MaxDescriptionLength);
        var item = Assert.Single(Parse($$"""{"itemId":"sku-1","description":"{{longest}}"}""").Elements);
        var tooLong = Parse($$"""{"itemId":"sku-1","description":"{{longest}}b"}""");

        Assert.Equal(longest, item.Description);
        Assert.Equal("description", Assert.Single(tooLong.Errors).Field);
        Assert.Null(Assert.Single(Parse("""{"itemId":"sku-2"}""").Elements).Description);
    }

    [Fact]
    public void AnItemIsAvailableUnlessSaidOtherwise() =>
        Assert.True(Assert.Single(Parse("""{"itemId":"sku-1"}""").Elements).Available);

    [Theory]
    [InlineData("""{"title":"x"}""", "itemId")]
    [InlineData("""{"itemId":"sku","price":-1}""", "price")]
    [InlineData("""{"itemId":"sku","price":"12"}""", "price")]
    [InlineData("""{"itemId":"sku","available":"yes"}""", "available")]
    [InlineData("""{"itemId":"sku","tags":"red"}""", "tags")]
    [InlineData("""{"itemId":"sku","tags":[""]}""", "tags")]
    [InlineData("""{"itemId":"sku","createdAt":"2027-01-01T00:00:00Z"}""", "createdAt")]
    [InlineData("""{"itemId":"sku","category":""}""", "category")]
    [InlineData("""{"itemId":"sku","colour":"red"}""", "colour")]
    [InlineData("""{"itemId":"sku","description":42}""", "description")]
    public void EachBadFieldIsNamed(string json, string field)
    {
        var result = Parse(json);

        Assert.Empty(result.Elements);
        Assert.Equal(field, Assert.Single(result.Errors).Field);
    }
}
