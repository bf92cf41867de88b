using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Lab.Samples;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Serving;

public sealed class RecommendationsFunctionsTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private static HttpRequest Get(string query) => FunctionTestContext.Get(query);

    private static JsonElement Body(IActionResult result, int status)
    {
        var json = Assert.IsType<JsonResult>(result);
        Assert.Equal(status, json.StatusCode);
        return JsonSerializer.SerializeToElement(json.Value, json.SerializerSettings as JsonSerializerOptions);
    }

    [Theory]
    [InlineData("?count=0", "count")]
    [InlineData("?count=101", "count")]
    [InlineData("?count=ten", "count")]
    [InlineData("?count=-1", "count")]
    [InlineData("?count=1&count=2", "count")]
    [InlineData("?category=", "category")]
    [InlineData("?sessionId=%01", "sessionId")]
    [InlineData("?explore=1.5", "explore")]
    [InlineData("?explore=-0.1", "explore")]
    [InlineData("?explore=lots", "explore")]
    [InlineData("?explore=0.1&explore=0.2", "explore")]
    [InlineData("?explore=NaN", "explore")]           // parsed by .NET, and NaN slips past "< 0 or > 1"
    [InlineData("?explore=Infinity", "explore")]
    [InlineData("?explore=-Infinity", "explore")]
    public async Task BadParametersAreProblemsNamingTheField(string query, string field)
    {
        var functions = FunctionTestContext.Recommendations(_shop.Service());

        var result = await functions.GetRecommendations(Get(query), "user-1", Cancel);

        var body = Body(result, 400);
        Assert.Equal(field, body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(Http.Problems.ContentType, ((JsonResult)result).ContentType);
    }

    [Fact]
    public async Task BadIdsAreProblemsOnEveryRoute()
    {
        var functions = FunctionTestContext.Recommendations(_shop.Service());

        Body(await functions.GetRecommendations(Get(""), new string('u', 129), Cancel), 400);
        Body(await functions.GetRecommendations(Get(""), " ", Cancel), 400);
        Body(await functions.GetSimilarItems(Get(""), "", Cancel), 400);
        Body(await functions.GetSimilarItems(Get("?count=1000"), "i1", Cancel), 400);
        Body(await functions.GetTrending(Get("?count=0"), Cancel), 400);
    }

    [Fact]
    public async Task AnEmptyShopAnswers200FromTheFallback()
    {
        var functions = FunctionTestContext.Recommendations(_shop.Service());

        var body = Body(await functions.GetRecommendations(Get("?count=5"), "user-1", Cancel), 200);

        Assert.Equal("popularity-fallback", body.GetProperty("source").GetString());
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
        Body(await functions.GetSimilarItems(Get(""), "unknown", Cancel), 404);
    }
}

/// <summary>The three routes through the real local host over HTTP, with a model promoted into its store.</summary>
public sealed class RecommendationsOverHttpTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRoutesServeTheFallbackThenThePromotedModelAndFreshEventsCount()
    {
        var client = host.Client;
        var trending = await client.GetAsync("/api/trending?count=3", Cancel);
        Assert.Equal(HttpStatusCode.OK, trending.StatusCode);
        Assert.Equal("popularity-fallback", (await trending.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("source").GetString());

        var services = host.App.Services;
        var shop = SampleShop.Generate(3, DateTimeOffset.UtcNow);
        await shop.StoreAsync(services.GetRequiredService<IItemStore>(), services.GetRequiredService<IEventStore>(), Cancel);
        var artifact = await Trainer.TrainAsync(services.GetRequiredService<IEventStore>().ReadAllAsync(cancellationToken: Cancel), new TrainerOptions(), cancellationToken: Cancel);
        await ServingShop.PublishAsync(services.GetRequiredService<IModelBlobStore>(), "20261127T190000Z-http", artifact);
        await services.GetRequiredService<RecommendationService>().RefreshAsync();

        var user = shop.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).First().Key;
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/users/{user}/recommendations?count=5", Cancel);
        Assert.Equal("model", list.GetProperty("source").GetString());
        Assert.Equal("20261127T190000Z-http", list.GetProperty("modelVersion").GetString());
        Assert.Equal(5, list.GetProperty("items").GetArrayLength());
        var first = list.GetProperty("items")[0];
        Assert.False(string.IsNullOrEmpty(first.GetProperty("reason").GetString()));
        var bought = first.GetProperty("itemId").GetString()!;
        var recommendationId = list.GetProperty("recommendationId").GetString();

        var purchase = $$"""{"userId":"{{user}}","itemId":"{{bought}}","type":"purchase","recommendationId":"{{recommendationId}}"}""";
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/events", new StringContent(purchase, Encoding.UTF8, "application/json"), Cancel)).StatusCode);
        var next = await client.GetFromJsonAsync<JsonElement>($"/api/users/{user}/recommendations?count=5", Cancel);
        Assert.DoesNotContain(next.GetProperty("items").EnumerateArray(), i => i.GetProperty("itemId").GetString() == bought);

        var similar = await client.GetFromJsonAsync<JsonElement>($"/api/items/{bought}/similar?count=4", Cancel);
        Assert.Equal(4, similar.GetProperty("items").GetArrayLength());
        var category = shop.Items.First(i => i.ItemId == bought).Category!;
        var inCategory = await client.GetFromJsonAsync<JsonElement>($"/api/trending?category={Uri.EscapeDataString(category)}&count=3", Cancel);
        Assert.All(inCategory.GetProperty("items").EnumerateArray(), i => Assert.Equal(category, i.GetProperty("category").GetString()));

        var missing = await client.GetAsync("/api/items/no-such-item/similar", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var bad = await client.GetAsync($"/api/users/{user}/recommendations?count=0", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }
}
