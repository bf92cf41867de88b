using System.Net.Http.Json;
using System.Text.Json;
using ServerlessReco.Storage.Tests.LocalHosts;

namespace ServerlessReco.Storage.Tests.Shops;

/// <summary>
/// A shop's first day over HTTP, as issue 21 met it: a catalogue of 90 items in 6 categories whose titles carry no
/// information ("item 1234"), a history imported with its own timestamps, all of it about a year old (older than the
/// 7-day trending window), then a retrain through the admin route. Before the retrain no model serves and trending has
/// no recent event; afterwards the first model must serve; and no list may ever be empty. Run on each store below.
/// </summary>
public abstract class FirstDayShopContract : IAsyncLifetime
{
    private const int ItemCount = 90;
    private const int Categories = 6;
    private const int Shoppers = 120;

    private StartedLocalHost _host = null!;

    protected HttpClient Client => _host.Http;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The local host's store settings (an embedded folder, or the emulators).</summary>
    protected abstract IEnumerable<string> StoreSettings();

    public async ValueTask InitializeAsync()
    {
        _host = await StartedLocalHost.StartAsync([.. StoreSettings(), "--Reco:ContentModel=true"], Cancel);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static string Item(int i) => $"sku-{i:0000}";

    private static string Category(int i) => $"cat-{i % Categories}";

    [Fact]
    public async Task AYearOldHistoryServesFullListsBeforeAndAfterItsFirstModelAndTheFirstModelServes()
    {
        await StoreShopAsync();

        // No model yet and no event in the trending window: the stored events' popularity, then the catalogue.
        var before = await ListAsync("/api/users/shopper-007/recommendations?count=10");
        Assert.Equal("popularity-fallback", before.GetProperty("source").GetString());
        AssertFull(before, 10);
        var exploit = await ListAsync("/api/users/shopper-007/recommendations?count=10&explore=0");
        AssertFull(exploit, 10);
        Assert.All(Items(exploit), i => Assert.Equal("popular", i.GetProperty("reasonKind").GetString()));
        var stranger = await ListAsync("/api/users/never-seen/recommendations?count=20&category=cat-3");
        AssertFull(stranger, 15); // cat-3 has 15 items: every one, no other category
        Assert.All(Items(stranger), i => Assert.Equal("cat-3", i.GetProperty("category").GetString()));
        AssertFull(await ListAsync("/api/trending?count=10"), 10);

        using var retrain = await Client.PostAsync("/admin/functions/Retrain", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        await SucceedsAsync(retrain);

        var models = await ListAsync("/api/manage/models");
        var version = Assert.Single(models.GetProperty("versions").EnumerateArray());
        var metrics = version.GetProperty("metrics");
        Assert.True(metrics.GetProperty("passedGate").GetBoolean(), metrics.GetProperty("gateReason").GetString());
        Assert.True(version.GetProperty("current").GetBoolean());
        var interval = metrics.GetProperty("gate").GetProperty("againstPopularity");
        Assert.True(interval.GetProperty("notWorse").GetBoolean());
        Assert.True(interval.GetProperty("users").GetInt32() > 50);

        // "item 1042" titles tell the content model nothing: nothing was embedded, and the version says why.
        var content = metrics.GetProperty("content");
        Assert.False(content.GetProperty("used").GetBoolean());
        Assert.StartsWith("item texts carry no information", content.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The first model serves; every list is full, whoever asks and whatever the filter.
        foreach (var path in new[]
        {
            "/api/users/shopper-007/recommendations?count=10", "/api/users/shopper-100/recommendations?count=30",
            "/api/users/never-seen/recommendations?count=10&category=cat-1", "/api/items/sku-0004/similar?count=10", "/api/trending?count=10&category=cat-5",
        })
        {
            var list = await ListAsync(path);
            Assert.Equal("model", list.GetProperty("source").GetString());
            AssertFull(list, 10);
            Assert.DoesNotContain(Items(list), i => i.GetProperty("reasonKind").GetString() == "content");
        }
    }

    private static async Task SucceedsAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");

    private async Task<JsonElement> ListAsync(string path) => await Client.GetFromJsonAsync<JsonElement>(path, Cancel);

    private static List<JsonElement> Items(JsonElement list) => [.. list.GetProperty("items").EnumerateArray()];

    private static void AssertFull(JsonElement list, int count)
    {
        var items = Items(list);
        Assert.True(items.Count >= count, $"{items.Count} items, at least {count} expected: {list}");
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("itemId").GetString()).Distinct().Count());
        Assert.All(items, i => Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("reason").GetString())));
    }

    /// <summary>
    /// The catalogue (placeholder titles), and 120 shoppers' histories of 8 events each, 352 to 362 days old (inside the 365-day retention): each shopper
    /// keeps to one category, and within it to the items next to each other, as a shop's taste does.
    /// </summary>
    private async Task StoreShopAsync()
    {
        var catalogue = Enumerable.Range(0, ItemCount).Select(i => new { itemId = Item(i), title = $"item {1000 + i}", category = Category(i) });
        using (var put = await Client.PutAsJsonAsync("/api/items", catalogue, Cancel))
        {
            await SucceedsAsync(put);
        }

        var start = DateTimeOffset.UtcNow.AddDays(-362);
        var random = new Random(21);
        var events = new List<object>();
        for (var s = 0; s < Shoppers; s++)
        {
            var category = s % Categories;
            var first = random.Next(ItemCount / Categories);
            for (var k = 0; k < 8; k++)
            {
                // The items of one category are category, category + 6, ...: neighbours are 6 apart.
                var item = category + (Categories * ((first + k + random.Next(2)) % (ItemCount / Categories)));
                events.Add(new
                {
                    eventId = $"e-{s}-{k}",
                    userId = $"shopper-{s:000}",
                    itemId = Item(item),
                    type = k % 4 == 3 ? "purchase" : "view",
                    timestamp = start.AddDays(s * 0.08).AddMinutes(k * 3),
                });
            }
        }

        foreach (var batch in events.Chunk(500))
        {
            using var posted = await Client.PostAsJsonAsync("/api/events", batch, Cancel);
            await SucceedsAsync(posted);
        }
    }
}
