using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Serving;

/// <summary>The local host over the embedded store with <see cref="SessionShop"/> posted and retrained, once for the class.</summary>
public sealed class SessionShopHost : IAsyncLifetime
{
    public LocalHostFixture Host { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Host.InitializeAsync();
        await SessionShop.TrainAsync(Host.Client);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Short sessions over HTTP on the embedded store: anonymous visitors by session id, and the shopper's category first.</summary>
public sealed class SessionServingOverHttpTests(SessionShopHost shop) : IClassFixture<SessionShopHost>
{
    private HttpClient Client => shop.Host.Client;

    [Fact]
    public async Task AnAnonymousVisitorSendingItsSessionIdAloneGetsItsCategoryFromItsClicks()
    {
        await SessionShop.PostAsync(
            Client,
            new { sessionId = "visitor-a", itemId = SessionShop.Item(2, 3), type = "click" },
            new { sessionId = "visitor-a", itemId = SessionShop.Item(2, 5), type = "click" });

        var (source, items) = await SessionShop.ListAsync(Client, "visitor-a", sessionId: "visitor-a");

        Assert.Equal("model", source);
        Assert.Equal(6, items.Count);
        Assert.All(items, i => Assert.Equal(SessionShop.Category(2), i.Category));
        Assert.Contains(items, i => i.Reason.Contains("clicked", StringComparison.Ordinal));
        Assert.DoesNotContain(items, i => i.Reason.Contains("viewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASessionIdSentAsTheShopperIdIsServedAsOneVisit()
    {
        await SessionShop.PostAsync(
            Client,
            new { userId = "s-77", sessionId = "s-77", itemId = SessionShop.Item(4, 2), type = "click" },
            new { userId = "s-77", sessionId = "s-77", itemId = SessionShop.Item(4, 7), type = "click" });

        var (source, items) = await SessionShop.ListAsync(Client, "s-77");

        Assert.Equal("model", source);
        Assert.All(items, i => Assert.Equal(SessionShop.Category(4), i.Category));
    }

    [Fact]
    public async Task AShopperWithTwoViewsInOneCategoryGetsThatCategorysBestFirst()
    {
        string[] viewed = [SessionShop.Item(1, 6), SessionShop.Item(1, 9)];
        await SessionShop.PostAsync(Client, [.. viewed.Select(id => new { userId = "shopper-9", itemId = id, type = "view" })]);

        var (_, items) = await SessionShop.ListAsync(Client, "shopper-9");

        Assert.Equal(SessionShop.Category(1), items[0].Category);
        Assert.Equal(SessionShop.Item(1, 0), items.First(i => !viewed.Contains(i.ItemId)).ItemId);
    }
}
