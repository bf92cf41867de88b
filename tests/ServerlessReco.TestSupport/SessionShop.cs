using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServerlessReco.TestSupport;

/// <summary>
/// A shop of short anonymous visits, driven over HTTP as a shop's site would: 6 categories of 12 items (popularity
/// within a category falls as 1 / rank), 480 visits of the last hours that each click 6 distinct items of one category,
/// posted with <c>sessionId</c> alone; then a retrain through the admin route and a serving refresh. The category's
/// best is item 0 of it (<c>c{category}-i0</c>).
/// </summary>
public sealed class SessionShop
{
    public const int Categories = 6;
    public const int ItemsPerCategory = 12;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static string Item(int category, int rank) => string.Create(CultureInfo.InvariantCulture, $"c{category}-i{rank}");

    public static string Category(int category) => string.Create(CultureInfo.InvariantCulture, $"cat-{category}");

    /// <summary>Stores the shop through the API, retrains and refreshes serving; returns the retrain's answer.</summary>
    public static async Task TrainAsync(HttpClient http)
    {
        var items = Enumerable.Range(0, Categories).SelectMany(c => Enumerable.Range(0, ItemsPerCategory).Select(k => new
        {
            itemId = Item(c, k), title = string.Create(CultureInfo.InvariantCulture, $"Item {k} of category {c}"), category = Category(c),
        }));
        Check(await http.PutAsync("/api/items", Json(JsonSerializer.Serialize(items)), Cancel));
        foreach (var batch in Visits(DateTimeOffset.UtcNow).Chunk(1000))
        {
            Check(await http.PostAsync("/api/events", Json(JsonSerializer.Serialize(batch)), Cancel));
        }

        Check(await http.PostAsync("/admin/functions/Retrain", Json("{}"), Cancel));
        Check(await http.PostAsync("/admin/serving/refresh", Json("{}"), Cancel));
    }

    /// <summary>Posts <paramref name="events"/> (JSON objects) as one batch.</summary>
    public static async Task PostAsync(HttpClient http, params object[] events) =>
        Check(await http.PostAsync("/api/events", Json(JsonSerializer.Serialize(events)), Cancel));

    /// <summary>The list served to <paramref name="shopperId"/> without exploration: its item ids, reasons and source.</summary>
    public static async Task<(string Source, List<(string ItemId, string Category, string Reason)> Items)> ListAsync(HttpClient http, string shopperId, string? sessionId = null)
    {
        var query = $"/api/users/{Uri.EscapeDataString(shopperId)}/recommendations?count=6&explore=0" + (sessionId is null ? "" : $"&sessionId={Uri.EscapeDataString(sessionId)}");
        var body = await http.GetFromJsonAsync<JsonElement>(query, Cancel);
        var items = body.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("itemId").GetString()!, i.TryGetProperty("category", out var c) ? c.GetString() ?? "" : "", i.GetProperty("reason").GetString()!))
            .ToList();
        return (body.GetProperty("source").GetString()!, items);
    }

    /// <summary>Every click of the training visits, as event objects with <c>sessionId</c> and no <c>userId</c>.</summary>
    private static List<object> Visits(DateTimeOffset now)
    {
        var random = new Random(21);
        var events = new List<object>();
        const int visits = 480;
        for (var v = 0; v < visits; v++)
        {
            var category = v % Categories;
            var ranks = Enumerable.Range(0, ItemsPerCategory).ToList();
            var start = now.AddHours(-4).AddSeconds(v * 20);
            for (var click = 0; click < 6; click++)
            {
                // Drawn by popularity 1 / (rank + 1), without repeats within the visit.
                var total = ranks.Sum(r => 1.0 / (r + 1));
                var draw = random.NextDouble() * total;
                var pick = ranks.First(r => (draw -= 1.0 / (r + 1)) <= 0 || r == ranks[^1]);
                ranks.Remove(pick);
                events.Add(new
                {
                    sessionId = string.Create(CultureInfo.InvariantCulture, $"visit-{v}"), itemId = Item(category, pick), type = "click",
                    timestamp = start.AddSeconds(click * 2).ToString("O", CultureInfo.InvariantCulture),
                });
            }
        }

        return events;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static void Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        }
    }
}
