using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Hosting;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The anonymous twins of the read routes answer only when Reco:AllowAnonymousReads is true.</summary>
public sealed class PublicRoutesTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private PublicRecommendationsFunctions Functions(bool allowAnonymousReads) =>
        new(new ListRequests(_shop.Service()), FunctionTestContext.Callers(), Options.Create(new RecoOptions { AllowAnonymousReads = allowAnonymousReads }));

    private static HttpRequest Get(string query = "") => FunctionTestContext.Get(query);

    [Fact]
    public async Task ByDefaultEveryPublicRouteIsA404ProblemSayingAnonymousReadsAreDisabled()
    {
        var functions = new PublicRecommendationsFunctions(new ListRequests(_shop.Service()), FunctionTestContext.Callers(), Options.Create(new RecoOptions()));

        foreach (var result in new[]
        {
            await functions.GetPublicRecommendations(Get(), "user-1", Cancel),
            await functions.GetPublicSimilarItems(Get(), "sku-1", Cancel),
            await functions.GetPublicTrending(Get(), Cancel),
        })
        {
            ResultAssert.Problem(result, StatusCodes.Status404NotFound);
            Assert.Contains("Anonymous reads are disabled", ResultAssert.Json(result, StatusCodes.Status404NotFound).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhenAllowedThePublicRoutesAnswerAsTheKeyedOnesDo()
    {
        await _shop.StoreAsync();
        var user = _shop.ActiveUser();
        var item = _shop.Data.Items[0].ItemId;
        var keyed = FunctionTestContext.Recommendations(_shop.Service());
        var open = Functions(allowAnonymousReads: true);

        var list = ResultAssert.Json(await open.GetPublicRecommendations(Get("?count=4"), user, Cancel), StatusCodes.Status200OK);
        var similar = ResultAssert.Json(await open.GetPublicSimilarItems(Get("?count=3"), item, Cancel), StatusCodes.Status200OK);
        var trending = ResultAssert.Json(await open.GetPublicTrending(Get("?count=3"), Cancel), StatusCodes.Status200OK);
        var keyedTrending = ResultAssert.Json(await keyed.GetTrending(Get("?count=3"), Cancel), StatusCodes.Status200OK);

        Assert.Equal(user, list.GetProperty("userId").GetString());
        Assert.Equal(4, list.GetProperty("items").GetArrayLength());
        Assert.Equal(item, similar.GetProperty("itemId").GetString());
        Assert.Equal(Ids(keyedTrending), Ids(trending));
    }

    [Fact]
    public async Task WhenAllowedBadParametersAreStill400Problems()
    {
        var open = Functions(allowAnonymousReads: true);

        Assert.Equal([(null, "count")], ResultAssert.Problem(await open.GetPublicTrending(Get("?count=0"), Cancel), StatusCodes.Status400BadRequest));
        Assert.Equal([(null, "userId")], ResultAssert.Problem(await open.GetPublicRecommendations(Get(), new string('u', 129), Cancel), StatusCodes.Status400BadRequest));
    }

    private static List<string> Ids(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).ToList();
}

/// <summary>The public routes through the local host, with the setting off (the default) and on.</summary>
public sealed class PublicRoutesOverHttpTests(LocalHostFixture closed) : IClassFixture<LocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/public/trending")]
    [InlineData("/api/public/users/user-1/recommendations")]
    [InlineData("/api/public/items/sku-1/similar")]
    public async Task ByDefaultThePublicRoutesAre404Problems(string path)
    {
        using var response = await closed.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>With Reco:AllowAnonymousReads the public routes serve lists over HTTP.</summary>
public sealed class OpenPublicRoutesOverHttpTests(OpenLocalHostFixture open) : IClassFixture<OpenLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhenAllowedThePublicRoutesServeLists()
    {
        var services = open.App.Services;
        await Lab.Samples.SampleShop.Generate(5, DateTimeOffset.UtcNow)
            .StoreAsync(services.GetRequiredService<IItemStore>(), services.GetRequiredService<IEventStore>(), Cancel);

        var trending = await open.Client.GetFromJsonAsync<JsonElement>("/api/public/trending?count=2", Cancel);
        var list = await open.Client.GetFromJsonAsync<JsonElement>("/api/public/users/user-0001/recommendations?count=2", Cancel);
        using var bad = await open.Client.GetAsync("/api/public/trending?count=1000", Cancel);

        Assert.Equal(2, trending.GetProperty("items").GetArrayLength());
        Assert.Equal("user-0001", list.GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
