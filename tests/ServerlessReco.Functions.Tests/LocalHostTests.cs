using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Functions;

namespace ServerlessReco.Functions.Tests;

public sealed class LocalHostTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient Client => host.Client;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task EveryFunctionOfTheAppIsServed()
    {
        var declared = typeof(EventsFunctions).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order()
            .ToList();

        var served = await Client.GetFromJsonAsync<JsonElement>("/admin/functions", Cancel);

        Assert.Equal(declared, served.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order());
        Assert.Contains(served.EnumerateArray(), f => f.GetProperty("route").GetString() == "/api/items/{itemId}");
    }

    [Fact]
    public async Task EventsPostedOverHttpLandInTheStoreOnce()
    {
        const string batch = """[{"eventId":"http-1","userId":"http-user","itemId":"i1","type":"view"},{"eventId":"http-2","userId":"http-user","itemId":"i2","type":"purchase"}]""";

        var first = await Client.PostAsync("/api/events", Json(batch), Cancel);
        var second = await Client.PostAsync("/api/events", Json(batch), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(2, (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("stored").GetInt32());
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("duplicates").GetInt32());
        var store = host.App.Services.GetRequiredService<IEventStore>();
        var stored = new List<string>();
        await foreach (var e in store.ReadUserHistoryAsync("http-user", 500, Cancel))
        {
            stored.Add(e.EventId);
        }

        Assert.Equal(["http-1", "http-2"], stored.Order());
    }

    [Fact]
    public async Task MalformedJsonIsAProblemDocument()
    {
        var response = await Client.PostAsync("/api/events", Json("{oops"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("body", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnOversizedBodyIs413()
    {
        var body = new ByteArrayContent(new byte[IngestionLimits.MaxBodyBytes + 10]);
        body.Headers.ContentType = new("application/json");

        var response = await Client.PostAsync("/api/events", body, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ItemsRoundTripOverHttp()
    {
        var put = await Client.PutAsync("/api/items", Json("""{"itemId":"sku/http 1","title":"Mug","category":"kitchen"}"""), Cancel);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var item = await Client.GetFromJsonAsync<JsonElement>($"/api/items/{Uri.EscapeDataString("sku/http 1")}", Cancel);
        var missing = await Client.GetAsync("/api/items/no-such-sku", Cancel);

        Assert.Equal("Mug", item.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TimerFunctionsRunThroughTheAdminApi()
    {
        var run = await Client.PostAsync("/admin/functions/PurgeExpiredEvents", Json("{}"), Cancel);
        var unknown = await Client.PostAsync("/admin/functions/NoSuchFunction", Json("{}"), Cancel);
        var http = await Client.PostAsync("/admin/functions/RecordEvents", Json("{}"), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, http.StatusCode);
    }

    [Fact]
    public async Task APostWithoutABodyTypeOrAKeyHeaderStartsNothing()
    {
        // What a web page can send through the operator's browser without a CORS preflight: no body, no headers.
        using var bare = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/PurgeExpiredEvents");
        using var refused = await Client.SendAsync(bare, Cancel);
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/PurgeExpiredEvents");
        keyed.Headers.Add("x-functions-key", "any"); // a key header forces the preflight a page cannot pass
        using var run = await Client.SendAsync(keyed, Cancel);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
    }

    [Fact]
    public async Task AWrongVerbIsNotAServerError()
    {
        var response = await Client.GetAsync("/api/events", Cancel);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

/// <summary>The newcomer's first command: `--sample-shop` stores the demo shop and trains the first model at start.</summary>
public sealed class SampleShopStartTests : IClassFixture<LocalHostFixture>
{
    private readonly LocalHostFixture _host;

    public SampleShopStartTests(LocalHostFixture host) => _host = host;

    [Fact]
    public async Task TheFirstListAfterASampleShopStartComesFromATrainedModel()
    {
        var cancel = TestContext.Current.CancellationToken;
        await LocalHost.SampleShopSeeder.SeedIfEmptyAsync(_host.App.Services, _host.App.Logger, cancel);

        using var response = await _host.Client.GetAsync(new Uri("api/users/user-0001/recommendations?count=5", UriKind.Relative), cancel);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel)).RootElement;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("model", body.GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("modelVersion").GetString()));

        // Starting again over the same store adds nothing and trains nothing more.
        var versions = await _host.App.Services.GetRequiredService<ServerlessReco.Core.Models.ModelRegistry>().ListAsync(cancel);
        await LocalHost.SampleShopSeeder.SeedIfEmptyAsync(_host.App.Services, _host.App.Logger, cancel);
        Assert.Equal(versions.Count, (await _host.App.Services.GetRequiredService<ServerlessReco.Core.Models.ModelRegistry>().ListAsync(cancel)).Count);
    }
}
