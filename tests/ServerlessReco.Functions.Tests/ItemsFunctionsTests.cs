using Microsoft.AspNetCore.Http;
using static ServerlessReco.Functions.Tests.FunctionTestContext;

namespace ServerlessReco.Functions.Tests;

public sealed class ItemsFunctionsTests : IDisposable
{
    private readonly FunctionTestContext _context = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task PutItemsThenGetOne()
    {
        var put = await _context.ItemsFunctions.UpsertItems(
            Request("""[{"itemId":"sku-1","title":"Trail shoe","category":"shoes","price":89.5},{"itemId":"sku-2"}]"""), Cancel);
        Assert.Equal(2, ResultAssert.Json(put, StatusCodes.Status200OK).GetProperty("upserted").GetInt32());

        var item = ResultAssert.Json(await _context.ItemsFunctions.GetItem(Request(""), "sku-1", Cancel), StatusCodes.Status200OK);

        Assert.Equal("Trail shoe", item.GetProperty("title").GetString());
        Assert.Equal(89.5m, item.GetProperty("price").GetDecimal());
        Assert.True(item.GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task TheSameItemTwiceInABatchKeepsTheLast()
    {
        await _context.ItemsFunctions.UpsertItems(Request("""[{"itemId":"sku-1","title":"First"},{"itemId":"sku-1","title":"Second"}]"""), Cancel);

        Assert.Equal("Second", (await _context.Items.GetAsync("sku-1", Cancel))!.Title);
    }

    [Theory]
    [InlineData("""{"itemId":"sku-2","title":"T\ud800"}""", "title")]
    [InlineData("""{"itemId":"sku-2","tags":["ok","\udfff"]}""", "tags[1]")]
    public async Task ALoneSurrogateIsAProblemNamingTheFieldAndStoresNothing(string item, string field)
    {
        var result = await _context.ItemsFunctions.UpsertItems(Request($$"""[{"itemId":"sku-1"},{{item}}]"""), Cancel);

        Assert.Equal([(1, field)], ResultAssert.Problem(result, StatusCodes.Status400BadRequest));
        Assert.Null(await _context.Items.GetAsync("sku-1", Cancel));
    }

    [Fact]
    public async Task AnInvalidItemRejectsTheBatch()
    {
        var result = await _context.ItemsFunctions.UpsertItems(Request("""[{"itemId":"sku-1"},{"itemId":"sku-2","price":"cheap"}]"""), Cancel);

        Assert.Equal([(1, "price")], ResultAssert.Problem(result, StatusCodes.Status400BadRequest));
        Assert.Null(await _context.Items.GetAsync("sku-1", Cancel));
    }

    [Fact]
    public async Task AMissingItemIs404()
    {
        ResultAssert.Problem(await _context.ItemsFunctions.GetItem(Request(""), "nope", Cancel), StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task AnOverlongItemIdInTheRouteIs400()
    {
        var result = await _context.ItemsFunctions.GetItem(Request(""), new string('x', 129), Cancel);

        Assert.Equal([(null, "itemId")], ResultAssert.Problem(result, StatusCodes.Status400BadRequest));
    }

    [Fact]
    public async Task AWriteThatWouldPassTheCatalogueCapIsA422NamingTheSettingAndStoresNothing()
    {
        using var capped = new FunctionTestContext(maxCatalogItems: 3);
        ResultAssert.Json(await capped.ItemsFunctions.UpsertItems(Request("""[{"itemId":"sku-1"},{"itemId":"sku-2"}]"""), Cancel), StatusCodes.Status200OK);
        ResultAssert.Json(await capped.ItemsFunctions.UpsertItems(Request("""[{"itemId":"sku-1","title":"Updated"},{"itemId":"sku-3"}]"""), Cancel), StatusCodes.Status200OK);

        var refused = await capped.ItemsFunctions.UpsertItems(Request("""[{"itemId":"sku-2","title":"Also updated"},{"itemId":"sku-4"}]"""), Cancel);

        Assert.Empty(ResultAssert.Problem(refused, StatusCodes.Status422UnprocessableEntity));
        var problem = ResultAssert.Json(refused, StatusCodes.Status422UnprocessableEntity);
        Assert.Equal("Reco:MaxCatalogItems", problem.GetProperty("setting").GetString());
        Assert.Contains("Reco:MaxCatalogItems (3)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await capped.Items.GetAsync("sku-4", Cancel));
        Assert.Null((await capped.Items.GetAsync("sku-2", Cancel))!.Title); // the update in the refused batch did not go in either
        ResultAssert.Json(await capped.ItemsFunctions.UpsertItems(Request("""{"itemId":"sku-3","title":"At the cap"}"""), Cancel), StatusCodes.Status200OK);
        Assert.Equal(3, await capped.Items.CountAsync(Cancel));
    }
}
