using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Hosting;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Settings;

/// <summary>
/// The hosts' composition (<c>AddRecoCore</c>) on in-memory settings, on an embedded store in a temporary folder and
/// without the content model unless the settings turn it on: what the settings tests read options and refusals from.
/// </summary>
internal sealed class ComposedSettings : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Embedded:DataDirectory"] = _folder.Path;
        settings.TryAdd("Reco:ContentModel", "false");
        return new ServiceCollection().AddRecoCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
    }

    /// <summary>What the start's validation throws for <paramref name="settings"/> (the test fails when it throws nothing).</summary>
    public async Task<Exception> RefusalAsync(Dictionary<string, string?> settings)
    {
        await using var services = Build(settings);
        return Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    public void Dispose() => _folder.Dispose();
}
