using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>
/// What a caller without a key gets from the public routes, through the local host over the sample shop with its first
/// model: no reason or <c>basedOn</c> that names the shopper's history, the configured exploration rate whatever
/// <c>explore</c> says, at most 20 items, and lists that count in no exploration figure.
/// </summary>
public sealed class AnonymousReadsOverHttpTests(OpenLocalHostFixture open) : IClassFixture<OpenLocalHostFixture>, IAsyncLifetime
{
    private const string User = "user-0001";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        await LocalHost.SampleShopSeeder.SeedIfEmptyAsync(open.App.Services, open.App.Logger, Cancel);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<JsonElement> GetAsync(string path) => open.Client.GetFromJsonAsync<JsonElement>(path, Cancel);

    [Fact]
    public async Task ThePublicListNamesNothingTheShopperDidWhereTheKeyedListDoes()
    {
        var keyed = Items(await GetAsync($"/api/users/{User}/recommendations?count=20&explore=0"));
        var anonymous = Items(await GetAsync($"/api/public/users/{User}/recommendations?count=20"));

        Assert.Contains(keyed, i => i.TryGetProperty("basedOn", out _) && i.GetProperty("reason").GetString()!.StartsWith("because you", StringComparison.Ordinal));
        Assert.Equal(20, anonymous.Count);
        Assert.All(anonymous, i => Assert.False(i.TryGetProperty("basedOn", out var basedOn) && basedOn.ValueKind != JsonValueKind.Null));
        Assert.All(anonymous, i => Assert.DoesNotContain("because", i.GetProperty("reason").GetString()!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("explore=1")]
    [InlineData("explore=0")]
    [InlineData("explore=NaN")]
    [InlineData("explore=1&explore=0")]
    public async Task ThePublicRouteIgnoresExploreAndServesAtTheConfiguredRate(string query)
    {
        var anonymous = await GetAsync($"/api/public/users/{User}/recommendations?{query}");
        var keyed = await GetAsync($"/api/users/{User}/recommendations?explore=1");

        Assert.Equal("uncertainty(0.1)", anonymous.GetProperty("policy").GetString());
        Assert.Equal("uncertainty(1)", keyed.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task PublicCountsAreCappedAtTwentyAndStillValidatedAsOnTheKeyedRoutes()
    {
        var item = Items(await GetAsync("/api/trending?count=1"))[0].GetProperty("itemId").GetString();

        Assert.Equal(20, Items(await GetAsync($"/api/public/users/{User}/recommendations?count=100")).Count);
        Assert.Equal(20, Items(await GetAsync($"/api/public/items/{item}/similar?count=50")).Count);
        Assert.Equal(20, Items(await GetAsync("/api/public/trending?count=21")).Count);
        Assert.Equal(50, Items(await GetAsync($"/api/users/{User}/recommendations?count=50")).Count);
        foreach (var path in new[] { $"/api/public/users/{User}/recommendations?count=101", "/api/public/trending?count=0" })
        {
            using var refused = await open.Client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    [Fact]
    public async Task PublicListsAndTheClicksCitingThemCountInNoExplorationFigureOrEstimate()
    {
        var before = await GetAsync("/api/manage/exploration?days=1");
        var lists = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            lists.Add(await GetAsync($"/api/public/users/{User}/recommendations"));
        }

        var click = new
        {
            userId = User,
            itemId = Items(lists[0])[0].GetProperty("itemId").GetString(),
            type = "click",
            recommendationId = lists[0].GetProperty("recommendationId").GetString(),
        };
        using var posted = await open.Client.PostAsync("/api/events", new StringContent(JsonSerializer.Serialize(click), Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var afterAnonymous = await GetAsync("/api/manage/exploration?days=1");
        var keyed = await GetAsync($"/api/users/{User}/recommendations");
        var afterKeyed = await GetAsync("/api/manage/exploration?days=1");

        Assert.Equal(LoggedSlots(before), LoggedSlots(afterAnonymous));
        Assert.Equal(Unattributed(before), Unattributed(afterAnonymous));
        Assert.Equal(Lists(before), Lists(afterAnonymous));
        Assert.Equal(LoggedSlots(before) + Items(keyed).Count, LoggedSlots(afterKeyed));
        Assert.Equal(Lists(before) + 1, Lists(afterKeyed));
    }

    private static List<JsonElement> Items(JsonElement list) => [.. list.GetProperty("items").EnumerateArray()];

    private static int LoggedSlots(JsonElement report) => report.GetProperty("loggedSlots").GetInt32();

    private static int Unattributed(JsonElement report) => report.GetProperty("online").GetProperty("unattributedRewards").GetInt32();

    /// <summary>The lists the online report counts, over every policy (the "all" rows).</summary>
    private static int Lists(JsonElement report) => report.GetProperty("online").GetProperty("rows").EnumerateArray()
        .Where(r => r.GetProperty("slotKind").GetString() == "all")
        .Sum(r => r.GetProperty("lists").GetInt32());
}
