using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Storage.Tests.Settings;

/// <summary>Serving's settings as the hosts compose them: read once from <c>Serving</c>, checked at start.</summary>
public sealed class ServingSettingsTests : IDisposable
{
    private readonly ComposedSettings _settings = new();

    [Fact]
    public async Task TheCatalogueFullReadIntervalIsASettingThatDefaultsToAnHour()
    {
        await using var configured = _settings.Build(new() { ["Serving:CatalogFullReadInterval"] = "06:00:00" });
        await using var defaults = _settings.Build([]);

        Assert.Equal(TimeSpan.FromHours(6), configured.GetRequiredService<IOptions<ServingOptions>>().Value.CatalogFullReadInterval);
        Assert.Equal(TimeSpan.FromHours(1), defaults.GetRequiredService<IOptions<ServingOptions>>().Value.CatalogFullReadInterval);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-01:00:00")]
    [InlineData("8.00:00:00")]
    public async Task ACatalogueFullReadIntervalOutOfRangeStopsTheStartNamingIt(string value)
    {
        var refusal = await _settings.RefusalAsync(new() { ["Serving:CatalogFullReadInterval"] = value });

        Assert.Contains("Serving:CatalogFullReadInterval must be positive and at most 7 days", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _settings.Dispose();
}
