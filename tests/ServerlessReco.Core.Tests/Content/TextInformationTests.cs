using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;

namespace ServerlessReco.Core.Tests.Content;

/// <summary>Which item texts are worth embedding: placeholders, ids and numbers are not; nor texts that are all the same.</summary>
public class TextInformationTests
{
    private static CatalogItem Item(string id, string? title, string? category = "cat-1", string? description = null, params string[] tags) =>
        new() { ItemId = id, Title = title, Category = category, Description = description, Tags = tags };

    [Theory]
    [InlineData("sku-1", "item 12345", "")]
    [InlineData("sku-1", "sku-1", "")]
    [InlineData("4711", "Product #4711 (ID 88)", "")]
    [InlineData("a", "X12-B7 / 2024", "")]
    [InlineData("b", "Stargazer's Atlas, 2nd edition", "stargazer atlas edition")]
    [InlineData("c", "Samsung Galaxy A7", "samsung galaxy")]
    public void TheTellingWordsOfATitleLeaveOutIdsNumbersCodesAndPlaceholders(string id, string title, string words)
    {
        Assert.Equal(words, TextInformation.Words(Item(id, title)));
    }

    [Fact]
    public void ACatalogueOfPlaceholderTitlesIsNotEmbeddedAndSaysWhy()
    {
        // As the real shop of issue 21: a category id and an "item N" title each; the category does not count.
        var catalogue = Enumerable.Range(0, 50).Select(i => Item($"i{i}", $"item {12000 + i}", $"c{i % 7}")).ToList();

        var (informative, why) = TextInformation.Select(catalogue);

        Assert.Empty(informative);
        Assert.Equal("item texts carry no information: the titles, tags and descriptions of all 50 items with text are ids, numbers or placeholders", why);
    }

    [Fact]
    public void TextsThatAreAllTheSameCarryNoInformationAndNoTextAtAllIsSaidSo()
    {
        var same = Enumerable.Range(0, 5).Select(i => Item($"i{i}", $"Gift card {i}")).ToList();
        var none = Enumerable.Range(0, 5).Select(i => Item($"i{i}", null, null)).ToList();

        Assert.Equal("item texts carry no information: the 5 items whose texts say anything all say the same", TextInformation.Select(same).WhyNone);
        Assert.Equal("no item has a text", TextInformation.Select(none).WhyNone);
    }

    [Fact]
    public void AMixedCatalogueEmbedsOnlyTheItemsWhoseTextsSaySomething()
    {
        List<CatalogItem> catalogue =
        [
            Item("a", "item 1"), Item("b", "Chef's Knife", description: "A sharp stainless steel knife."),
            Item("c", null, tags: ["garden", "tools"]), Item("d", "d"), Item("e", "Soup Pot"),
        ];

        var (informative, why) = TextInformation.Select(catalogue);

        Assert.Null(why);
        Assert.Equal(["b", "c", "e"], informative.Select(i => i.ItemId));
    }
}
