using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Training;
using ServerlessReco.Hosting;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Settings;

/// <summary>The retrain's settings as the hosts compose them: read once from <c>Reco</c>, checked at start, handed to the retrain as options.</summary>
public sealed class RetrainSettingsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Embedded:DataDirectory"] = _folder.Path;
        settings["Reco:ContentModel"] = "false";
        return new ServiceCollection().AddRecoCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
    }

    [Fact]
    public async Task TheLeaseSettingReachesTheRetrainAndDefaultsToTwoMinutes()
    {
        await using var configured = Build(new() { ["Reco:RetrainLeaseSeconds"] = "45" });
        await using var defaults = Build([]);

        Assert.Equal(TimeSpan.FromSeconds(45), configured.GetRequiredService<RetrainOptions>().LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(120), defaults.GetRequiredService<RetrainOptions>().LeaseDuration);
    }

    [Theory]
    [InlineData("RetrainLeaseSeconds", "5")]
    [InlineData("RetrainLeaseSeconds", "86400")]
    public async Task ARetrainSettingOutOfRangeStopsTheStartNamingIt(string setting, string value)
    {
        await using var services = Build(new() { [$"Reco:{setting}"] = value });

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"Reco:{setting} must be", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
