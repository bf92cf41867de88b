using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessReco.Functions.Tests.Dashboard;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.Serving;

/// <summary>The local host's <c>POST /admin/serving/refresh</c>: serving reloads model, catalogue and trending now, not on its intervals.</summary>
public sealed class ServingRefreshTests(KeyedLocalHostFixture host) : IClassFixture<KeyedLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARefreshWantsTheAdminKeyAndServesWhatArrivedSinceAtOnce()
    {
        var client = host.Client;
        Assert.DoesNotContain("refresh-item", await TrendingAsync(client)); // trending loaded: the next reload is minutes away
        using var catalogue = new HttpRequestMessage(HttpMethod.Put, "/api/items") { Content = Json("""{"itemId":"refresh-item","category":"kitchen"}""") };
        catalogue.Headers.Add("x-functions-key", "local-admin-key"); // a catalogue write is a server route: the admin key
        using (var put = await client.SendAsync(catalogue, Cancel))
        using (var post = await client.PostAsync("/api/events", Json("""[{"userId":"r1","itemId":"refresh-item","type":"purchase"},{"userId":"r2","itemId":"refresh-item","type":"purchase"}]"""), Cancel))
        {
            Assert.True(put.IsSuccessStatusCode && post.IsSuccessStatusCode);
        }

        Assert.DoesNotContain("refresh-item", await TrendingAsync(client));
        using var withoutKey = await client.PostAsync(LocalFunctionsHost.ServingRefreshPath, Json("{}"), Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Post, LocalFunctionsHost.ServingRefreshPath) { Content = Json("{}") };
        request.Headers.Add("x-functions-key", "local-admin-key");
        using var refreshed = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, refreshed.StatusCode);
        Assert.Contains("refresh-item", await TrendingAsync(client));
    }

    private static async Task<List<string?>> TrendingAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/trending?count=100", Cancel);
        return [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetString())];
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
