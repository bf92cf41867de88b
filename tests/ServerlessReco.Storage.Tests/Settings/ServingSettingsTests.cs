using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Serving;
using ServerlessReco.Hosting;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Settings;

/// <summary>Serving's settings as the hosts compose them: read once from <c>Serving</c>, checked at start.</summary>
public sealed class ServingSettingsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Embedded:DataDirectory"] = _folder.Path;
        settings.TryAdd("Reco:ContentModel", "false");
        return new ServiceCollection().AddRecoCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
    }

    [Fact]
    public async Task TheCatalogueFullReadIntervalIsASettingThatDefaultsToAnHour()
    {
        await using var configured = Build(new() { ["Serving:CatalogFullReadInterval"] = "06:00:00" });
        await using var defaults = Build([]);

        Assert.Equal(TimeSpan.FromHours(6), configured.GetRequiredService<IOptions<ServingOptions>>().Value.CatalogFullReadInterval);
        Assert.Equal(TimeSpan.FromHours(1), defaults.GetRequiredService<IOptions<ServingOptions>>().Value.CatalogFullReadInterval);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-01:00:00")]
    [InlineData("8.00:00:00")]
    public async Task ACatalogueFullReadIntervalOutOfRangeStopsTheStartNamingIt(string value)
    {
        await using var services = Build(new() { ["Serving:CatalogFullReadInterval"] = value });

        var refusal = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Serving:CatalogFullReadInterval must be positive and at most 7 days", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
