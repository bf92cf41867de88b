using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Storage.Tests.LocalHosts;

/// <summary>
/// The real local host (the Functions' own HTTP routes and composition) started on a free loopback port with the given
/// settings, and a client for it; stopped and disposed with this. One way to start it, so each test says only what
/// differs: its store settings (<see cref="Azure.EmulatorStores"/> for the emulators) and its own settings.
/// </summary>
internal sealed class StartedLocalHost : IAsyncDisposable
{
    private StartedLocalHost(WebApplication app)
    {
        App = app;
        Http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public HttpClient Http { get; }

    /// <param name="settings">Command-line settings (<c>--Section:Key=value</c>): the store's, then the test's own.</param>
    /// <param name="logLevel">The default log level (Warning: the tests read no log unless they ask for one).</param>
    /// <param name="configure">Changes to the host builder, e.g. a fake log collector.</param>
    public static async Task<StartedLocalHost> StartAsync(
        IEnumerable<string> settings, CancellationToken cancellationToken, string logLevel = "Warning", Action<WebApplicationBuilder>? configure = null)
    {
        var app = LocalFunctionsHost.Build(["--urls", "http://127.0.0.1:0", $"--Logging:LogLevel:Default={logLevel}", .. settings], configure);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new StartedLocalHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
