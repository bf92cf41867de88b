using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.LocalHost;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// The same short sessions as on the embedded store, over HTTP to the local host configured for Azure (events and
/// catalogue in the Cosmos DB test server, models in Azurite): anonymous visitors by session id alone or as the shopper
/// id, and the shopper's category first, after a retrain through the admin route.
/// </summary>
public sealed class SessionServingOnAzureTests : IAsyncLifetime
{
    private WebApplication? _app;
    private string? _database;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var cosmos = CosmosEmulator.FreshOptions();
        _ = CosmosEmulator.Client;
        var blobs = BlobEmulator.FreshOptions();
        _ = BlobEmulator.Client;
        _database = cosmos.Database;
        _app = LocalFunctionsHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            .. EmulatorSettings.For(cosmos, blobs, retentionDays: 0).Select(s => $"--{s.Key}={s.Value}"),
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await CosmosEmulator.Client.GetDatabase(_database).DeleteAsync();
        }
    }

    [Fact]
    public async Task AnonymousVisitsAndTheShoppersCategoryAreServedOverCosmosAndBlob()
    {
        await SessionShop.TrainAsync(_http);
        await SessionShop.PostAsync(
            _http,
            new { sessionId = "visitor-a", itemId = SessionShop.Item(2, 3), type = "click" },
            new { sessionId = "visitor-a", itemId = SessionShop.Item(2, 5), type = "click" },
            new { userId = "s-77", sessionId = "s-77", itemId = SessionShop.Item(4, 2), type = "click" },
            new { userId = "shopper-9", itemId = SessionShop.Item(1, 6), type = "view" },
            new { userId = "shopper-9", itemId = SessionShop.Item(1, 9), type = "view" });

        var anonymous = await SessionShop.ListAsync(_http, "visitor-a", sessionId: "visitor-a");
        var sessionAsShopper = await SessionShop.ListAsync(_http, "s-77");
        var shopper = await SessionShop.ListAsync(_http, "shopper-9");

        Assert.Equal("model", anonymous.Source);
        Assert.All(anonymous.Items, i => Assert.Equal(SessionShop.Category(2), i.Category));
        Assert.Contains(anonymous.Items, i => i.Reason.Contains("clicked", StringComparison.Ordinal));
        Assert.All(sessionAsShopper.Items, i => Assert.Equal(SessionShop.Category(4), i.Category));
        Assert.Equal(SessionShop.Category(1), shopper.Items[0].Category);
        Assert.Equal(SessionShop.Item(1, 0), shopper.Items.First(i => i.ItemId is not "c1-i6" and not "c1-i9").ItemId);
    }
}
