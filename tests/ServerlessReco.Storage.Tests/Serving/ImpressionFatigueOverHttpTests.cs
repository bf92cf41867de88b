using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.Azure;
using ServerlessReco.Storage.Tests.Embedded;
using ServerlessReco.Storage.Tests.LocalHosts;

namespace ServerlessReco.Storage.Tests.Serving;

/// <summary>
/// Impression fatigue through the real local host on each store: the host files every list under the shopper's
/// pseudonym, and its per-request read of the shopper's newest lists must find them there, so the list a shopper was
/// shown on two visits without taking anything up gives way to the next best.
/// </summary>
public sealed class ImpressionFatigueOverHttpTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnTheEmbeddedStoreAListShownOnTwoVisitsIgnoredGivesWayToTheNextBest()
    {
        using var folder = new TemporaryFolder();
        await AssertFatigueAsync([$"--Embedded:DataDirectory={folder.Path}"]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task OnCosmosDbAListShownOnTwoVisitsIgnoredGivesWayToTheNextBest()
    {
        await using var stores = EmulatorStores.Fresh();
        await AssertFatigueAsync(stores.Settings());
    }

    private static async Task AssertFatigueAsync(IEnumerable<string> storeSettings)
    {
        await using var host = await StartedLocalHost.StartAsync([.. storeSettings, "--Serving:FatigueShowings=2", "--Reco:ContentModel=false"], Cancel);
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow, items: 120, users: 150, events: 1500);
        await shop.StoreAsync(host.Services.GetRequiredService<IItemStore>(), host.Services.GetRequiredService<IEventStore>(), Cancel);
        var retrain = await host.Http.PostAsync("/admin/functions/Retrain", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, retrain.StatusCode);
        var shopper = shop.Events.GroupBy(e => e.UserId).MaxBy(g => g.Count())!.Key;
        var path = $"/api/users/{Uri.EscapeDataString(shopper)}/recommendations?count=5&explore=0";

        var first = await ItemsAsync(host.Http, path);
        var second = await ItemsAsync(host.Http, path);

        // The same list shown on an earlier visit, filed as the host files lists (its store pseudonymises the id).
        var earlier = new ServedListRecord(
            Guid.NewGuid().ToString("N"), shopper, DateTimeOffset.UtcNow.AddHours(-2), "uncertainty(0)", 0, 5, 0, 0,
            [.. first.Select((item, position) => new ServedListSlot(item, SlotKind.Exploit, 1, position, false))]);
        await host.Services.GetRequiredService<IServedListStore>().AppendAsync(earlier, Cancel);
        var third = await ItemsAsync(host.Http, path);

        Assert.Equal(5, first.Count);
        Assert.Equal(first, second); // fetched again within the visit: one showing
        Assert.Equal(5, third.Count);
        Assert.Empty(third.Intersect(first)); // shown on two visits, nothing taken up
    }

    private static async Task<List<string>> ItemsAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        var list = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("model", list.GetProperty("source").GetString());
        return [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!)];
    }
}
