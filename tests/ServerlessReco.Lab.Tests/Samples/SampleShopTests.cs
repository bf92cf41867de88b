using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Ingestion.History;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Tests.Ingestion.History;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Lab.Tests.Samples;

public class SampleShopTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 18, 0, 0, TimeSpan.Zero);

    private static readonly SampleShopData Shop = SampleShop.Generate(seed: 42, Now);

    [Fact]
    public void HasTheRequestedSizes()
    {
        Assert.Equal(300, Shop.Items.Count);
        Assert.Equal(5_000, Shop.Events.Count);
        Assert.Equal(400, Shop.UserIds.Count);
        Assert.Equal(300, Shop.Items.Select(i => i.ItemId).Distinct().Count());
        Assert.Equal(5_000, Shop.Events.Select(e => e.EventId).Distinct().Count());

        var small = SampleShop.Generate(1, Now, items: 20, users: 5, events: 100);
        Assert.Equal((20, 5, 100), (small.Items.Count, small.UserIds.Count, small.Events.Count));
    }

    [Fact]
    public void TheSameSeedGivesTheSameShopAndAnotherSeedAnotherOne()
    {
        var again = SampleShop.Generate(seed: 42, Now);
        var other = SampleShop.Generate(seed: 43, Now);

        Assert.Equal(Fingerprint(Shop), Fingerprint(again));
        Assert.NotEqual(Fingerprint(Shop), Fingerprint(other));
    }

    [Fact]
    public void EveryEventPassesTheValidatorWithARetentionOfTheWindow()
    {
        var parser = new EventParser(TimeProvider.System, new RetentionPolicy((int)SampleShop.History.TotalDays));
        foreach (var e in Shop.Events)
        {
            var errors = new List<ValidationError>();
            using var json = JsonDocument.Parse(EventJson.ToUtf8(e));
            var parsed = parser.Parse(json.RootElement, 0, Now, errors);
            Assert.True(errors.Count == 0, $"{e.EventId}: {string.Join("; ", errors)}");
            Assert.Equal(e, parsed! with { Properties = e.Properties });
        }
    }

    [Fact]
    public void EveryItemPassesTheValidator()
    {
        var parser = new ItemParser(TimeProvider.System);
        foreach (var item in Shop.Items)
        {
            var errors = new List<ValidationError>();
            using var json = JsonDocument.Parse(ItemJson(item));
            Assert.NotNull(parser.Parse(json.RootElement, 0, Now, errors));
            Assert.True(errors.Count == 0, $"{item.ItemId}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void TheCatalogueLooksLikeAShop()
    {
        var categories = Shop.Items.GroupBy(i => i.Category).ToList();
        Assert.InRange(categories.Count, 10, 12);
        Assert.All(categories, c => Assert.True(c.Count() >= 20, $"{c.Key} has {c.Count()} items"));
        Assert.All(Shop.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Title)));
        Assert.All(Shop.Items, i => Assert.InRange(i.Tags.Count, 2, 6));
        Assert.All(Shop.Items, i => Assert.InRange(i.Price!.Value, 0.99m, 600m));
        Assert.InRange(Shop.Items.Count(i => !i.Available), 3, 30);
        Assert.True(Shop.Items.Max(i => i.CreatedAt) - Shop.Items.Min(i => i.CreatedAt) > TimeSpan.FromDays(90), "createdAt spreads over months");
        Assert.All(Shop.Items, i => Assert.True(i.CreatedAt <= Now));
    }

    [Fact]
    public void EventsFillTheLastThirtyDaysInOrderAndNeverPrecedeTheirItem()
    {
        Assert.All(Shop.Events, e => Assert.InRange(e.Timestamp, Now - TimeSpan.FromDays(30), Now));
        Assert.True(Shop.Events.Max(e => e.Timestamp) - Shop.Events.Min(e => e.Timestamp) > TimeSpan.FromDays(25));
        Assert.Equal(Shop.Events.OrderBy(e => e.Timestamp).Select(e => e.EventId), Shop.Events.Select(e => e.EventId));

        var created = Shop.Items.ToDictionary(i => i.ItemId, i => i.CreatedAt);
        Assert.All(Shop.Events, e => Assert.True(created[e.ItemId] <= e.Timestamp, $"{e.EventId} precedes {e.ItemId}"));
    }

    [Fact]
    public void PopularityIsSkewedTowardsAFewItems()
    {
        var perItem = Shop.Events.CountBy(e => e.ItemId).Select(p => p.Value).OrderDescending().ToList();
        var topTenth = perItem.Take(Shop.Items.Count / 10).Sum();
        Assert.True(topTenth >= 0.4 * Shop.Events.Count, $"the top 10% of items have {topTenth} of {Shop.Events.Count} events");

        // A long tail, not a handful: most of the catalogue is seen at least once.
        Assert.True(perItem.Count >= Shop.Items.Count * 0.6, $"only {perItem.Count} items have events");
    }

    [Fact]
    public void EveryVisitIsAFunnel()
    {
        var byType = Shop.Events.CountBy(e => e.Type).ToDictionary();
        Assert.True(byType[EventType.View] > byType[EventType.Click], "views > clicks");
        Assert.True(byType[EventType.Click] > byType[EventType.AddToCart], "clicks > add_to_cart");
        Assert.True(byType[EventType.AddToCart] > byType[EventType.Purchase], "add_to_cart > purchases");
        Assert.True(byType[EventType.Purchase] > byType[EventType.Rating], "purchases > ratings");
        Assert.True(byType[EventType.Rating] >= 20);
        Assert.All(Shop.Events.Where(e => e.Type == EventType.Rating), e => Assert.InRange(e.Value!.Value, 1, 5));

        // Nobody buys what they never put in the cart.
        var carted = Shop.Events.Where(e => e.Type == EventType.AddToCart).Select(e => (e.UserId, e.ItemId)).ToHashSet();
        Assert.All(Shop.Events.Where(e => e.Type == EventType.Purchase), e => Assert.Contains((e.UserId, e.ItemId), carted));
    }

    [Fact]
    public void ShoppersKeepToTheirFavouriteCategoriesAndVisitInSessions()
    {
        var category = Shop.Items.ToDictionary(i => i.ItemId, i => i.Category!);
        var regulars = Shop.Events.Where(e => e.Type == EventType.View).GroupBy(e => e.UserId).Where(g => g.Count() >= 10).ToList();
        Assert.True(regulars.Count >= 50);

        // With 12 categories, a shopper who chose at random would spend about a fifth of their views in their top one.
        var topCategoryShare = regulars.Average(g => (double)g.CountBy(e => category[e.ItemId]).Max(p => p.Value) / g.Count());
        Assert.True(topCategoryShare >= 0.45, $"the average shopper's top category has {topCategoryShare:P0} of their views");

        var sessions = Shop.Events.Where(e => e.SessionId is not null).GroupBy(e => e.SessionId).ToList();
        Assert.All(sessions, s => Assert.Single(s.Select(e => e.UserId).Distinct()));
        Assert.InRange(sessions.Average(s => s.Count()), 3, 20);
        Assert.True(Shop.Events.Select(e => e.UserId).Distinct().Count() >= 200, "a few hundred shoppers");
    }

    [Fact]
    public async Task StoringTheSameShopTwiceStoresItsEventsOnce()
    {
        var events = new InMemoryEventStore();
        var items = new ListItemStore();
        var shop = SampleShop.Generate(seed: 7, Now, items: 50, users: 30, events: 2_500);

        var first = await shop.StoreAsync(items, events, TestContext.Current.CancellationToken);
        var second = await SampleShop.Generate(seed: 7, Now, items: 50, users: 30, events: 2_500)
            .StoreAsync(items, events, TestContext.Current.CancellationToken);

        Assert.Equal(new AppendResult(2_500, 0), first);
        Assert.Equal(new AppendResult(0, 2_500), second);
        Assert.Equal([1_000, 1_000, 500, 1_000, 1_000, 500], events.BatchSizes);
        Assert.Equal(50, items.Items.Select(i => i.ItemId).Distinct().Count());
    }

    private sealed class ListItemStore : IItemStore
    {
        public List<CatalogItem> Items { get; } = [];

        public Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default)
        {
            Items.AddRange(items);
            return Task.FromResult(items.Count);
        }

        public Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Items.LastOrDefault(i => i.ItemId == itemId));

        public IAsyncEnumerable<CatalogItem> ReadAllAsync(CancellationToken cancellationToken = default) => Items.ToAsyncEnumerable();
    }

    private static string Fingerprint(SampleShopData shop) =>
        string.Join('\n', shop.Items.Select(ItemJson)) + "\n" +
        string.Join('\n', shop.Events.Select(e => System.Text.Encoding.UTF8.GetString(EventJson.ToUtf8(e))));

    private static string ItemJson(CatalogItem item) => new JsonObject
    {
        ["itemId"] = item.ItemId,
        ["title"] = item.Title,
        ["category"] = item.Category,
        ["tags"] = new JsonArray(item.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["price"] = item.Price,
        ["available"] = item.Available,
        ["createdAt"] = item.CreatedAt!.Value.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();
}

/// <summary>The sample shop behind the README's walk-through: pinned, so a refactoring of the generator cannot change it.</summary>
public class SampleShopFingerprintTests
{
    [Fact]
    public void SeedFortyTwoGivesThePinnedShop()
    {
        var shop = SampleShop.Generate(42, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var text = new System.Text.StringBuilder();
        foreach (var item in shop.Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"{item.ItemId}|{item.Title}|{item.Category}|{string.Join(',', item.Tags ?? [])}|{item.Price}|{item.Available}|{item.CreatedAt:O}\n");
        }

        foreach (var e in shop.Events)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.EventId}|{e.UserId}|{e.ItemId}|{e.Type}|{e.Value}|{e.Timestamp:O}|{e.SessionId}\n");
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        TestContext.Current.SendDiagnosticMessage($"sample shop fingerprint {hash}");
        Assert.True(hash == Fingerprint, $"fingerprint {hash}");
    }

    private const string Fingerprint = "BB898D49A81C03FFD9D80CC2F582899DA76F3AC085FDB5A242517E189BA3039D";
}
