using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests;

/// <summary>The real local host on a free port of 127.0.0.1, over an embedded store in a temporary folder.</summary>
public class LocalHostFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-host-").FullName;
    private readonly string[] _settings;

    public LocalHostFixture()
        : this([])
    {
    }

    /// <param name="settings">More command-line settings, e.g. <c>--Host:CORS=https://shop.example</c>.</param>
    protected LocalHostFixture(string[] settings) => _settings = settings;

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = LocalFunctionsHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Embedded:DataDirectory={_folder}",
            "--Logging:LogLevel:Default=Warning",
            .. _settings,
        ]);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
