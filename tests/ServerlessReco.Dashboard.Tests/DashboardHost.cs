using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Dashboard.Tests;

/// <summary>
/// The local host as <c>--sample-shop</c> starts it (sample shop, first model, served traffic), with an admin key set,
/// a second model version to roll back to, and one headless browser. Subclasses choose the store.
/// </summary>
public abstract class DashboardHost : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public WebApplication App { get; private set; } = null!;
    public string BaseUrl { get; private set; } = null!;
    public string AdminKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    public HttpClient Admin { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>How many keyless requests a minute a client address may make here.</summary>
    public const int AddressPerMinute = 2;

    /// <summary>A shopper of the sample shop (its ids are user-0001 and on).</summary>
    public const string Shopper = "user-0001";

    /// <summary>The store's settings; none when the store is not there (then <see cref="StoreMissing"/> says why).</summary>
    protected abstract string[] StoreSettings();

    protected virtual string? StoreMissing => null;

    /// <summary>Why the dashboard cannot be tried here (no browser, no emulators), or null.</summary>
    public string? Missing { get; private set; }

    /// <summary>Skips the test, or fails it under tests/run.sh, when something it needs is missing.</summary>
    public void EnsureAvailable()
    {
        if (Missing is not null)
        {
            Requirement.SkipOrFail(Missing);
        }
    }

    public async ValueTask InitializeAsync()
    {
        var store = StoreSettings();
        Missing = store.Length == 0 ? StoreMissing : Chromium.Missing();
        if (Missing is not null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        App = LocalFunctionsHost.Build(
            [
                "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", $"--{LocalAdminKey.Setting}={AdminKey}",
                // The keyless routes on, with a small limit a test can reach: the overview shows what the limits refused.
                "--Reco:AllowAnonymousReads=true", $"--RateLimits:AddressPerMinute={AddressPerMinute}", .. store,
            ]);
        await App.StartAsync();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Admin.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        await SampleShopSeeder.SeedIfEmptyAsync(App.Services, NullLogger.Instance);
        await TrainASecondVersionAsync();
    }

    /// <summary>Some new events and a retrain through the host's admin API: a second stored version, promoted or kept.</summary>
    private async Task TrainASecondVersionAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 60).Select(i => new
        {
            eventId = $"second-{i}",
            userId = $"user-{(i % 30) + 1:0000}",
            itemId = $"sku-{(i * 7 % 290) + 1:00000}",
            type = i % 3 == 0 ? "purchase" : "view",
            timestamp = now.AddMinutes(-i),
        });
        using var posted = await Admin.PostAsJsonAsync("/api/events", events);
        posted.EnsureSuccessStatusCode();
        using var retrained = await Admin.PostAsync("/admin/functions/Retrain", new StringContent("{}", Encoding.UTF8, "application/json"));
        retrained.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetAsync(string path) => await Admin.GetFromJsonAsync<JsonElement>(path);

    public async ValueTask DisposeAsync()
    {
        if (Missing is not null)
        {
            Cleanup();
            return;
        }

        await Browser.DisposeAsync();
        _playwright?.Dispose();
        Admin.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Cleanup();
        GC.SuppressFinalize(this);
    }

    protected virtual void Cleanup()
    {
    }

    /// <summary>docs/images when RECO_UPDATE_SCREENSHOTS=1 (for the docs), else a folder of the test run.</summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("RECO_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryRoot, "docs", "images")
        : Directory.CreateTempSubdirectory("reco-dashboard-screens-").FullName;

    private static string RepositoryRoot =>
        typeof(DashboardHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}

/// <summary>The embedded store (SQLite and a folder) in a temporary folder.</summary>
public sealed class EmbeddedDashboardHost : DashboardHost
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-dashboard-").FullName;

    protected override string[] StoreSettings() => [$"--Embedded:DataDirectory={_folder}"];

    protected override void Cleanup() => Directory.Delete(_folder, recursive: true);
}

/// <summary>The Cosmos DB test server and Azurite that tests/run.sh starts, each run in a database and container of its own.</summary>
public sealed class EmulatorDashboardHost : DashboardHost
{
    private static readonly string[] Variables = ["RECO_TEST_COSMOS_ENDPOINT", "RECO_TEST_COSMOS_KEY", "RECO_TEST_BLOB_CONNECTION_STRING"];

    protected override string? StoreMissing => $"{string.Join(", ", Variables)} not set: run `bash tests/run.sh`, which starts the emulators.";

    protected override string[] StoreSettings()
    {
        if (Variables.Any(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))))
        {
            return [];
        }

        var name = $"dash{Guid.NewGuid():N}";
        return
        [
            $"--Cosmos:Endpoint={Environment.GetEnvironmentVariable("RECO_TEST_COSMOS_ENDPOINT")}",
            $"--Cosmos:Key={Environment.GetEnvironmentVariable("RECO_TEST_COSMOS_KEY")}",
            $"--Cosmos:Database={name}",
            "--Cosmos:ConnectionMode=Gateway",
            "--Cosmos:LimitToEndpoint=true",
            $"--ModelStorage:ConnectionString={Environment.GetEnvironmentVariable("RECO_TEST_BLOB_CONNECTION_STRING")}",
            $"--ModelStorage:Container={name}",
            // A fixed test key: Cosmos DB refuses to start without one.
            "--Reco:PseudonymKey=dGVzdC1wc2V1ZG9ueW0ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXM=",
        ];
    }
}
