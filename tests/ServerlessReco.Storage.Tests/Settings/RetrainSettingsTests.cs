using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Content;
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
        settings.TryAdd("Reco:ContentModel", "false");
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
    [InlineData("ContentEmbeddingBudgetSeconds", "0")]
    [InlineData("ContentEmbeddingBudgetSeconds", "7200")]
    [InlineData("ClickModelMinimumLists", "0")]
    [InlineData("ClickModelMinimumClicks", "0")]
    public async Task ARetrainSettingOutOfRangeStopsTheStartNamingIt(string setting, string value)
    {
        await using var services = Build(new() { [$"Reco:{setting}"] = value });

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"Reco:{setting} must be", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContentModelSettingIsReadFromTheBoundOptionsOnce()
    {
        await using var off = Build(new() { ["Reco:ContentModel"] = "false" });
        await using var on = Build(new() { ["Reco:ContentModel"] = "true", ["Reco:ContentEmbeddingBudgetSeconds"] = "90" });

        Assert.Null(off.GetService<CatalogEmbedding>());
        Assert.Equal(TimeSpan.FromSeconds(90), on.GetRequiredService<CatalogEmbedding>().Options.EmbeddingBudget);
        Assert.NotNull(off.GetRequiredService<RetrainService>()); // without the step
    }

    [Fact]
    public async Task TheClickModelSettingsReachTheRetrainAndTheTrainerIsThere()
    {
        await using var configured = Build(new() { ["Reco:ClickModel"] = "false", ["Reco:ClickModelMinimumLists"] = "20", ["Reco:ClickModelMinimumClicks"] = "5" });
        await using var defaults = Build([]);

        Assert.Equal(new Core.Clicks.ClickModelOptions { Enabled = false, MinimumLists = 20, MinimumClicks = 5 }, configured.GetRequiredService<RetrainOptions>().ClickModel);
        Assert.Equal(new Core.Clicks.ClickModelOptions(), defaults.GetRequiredService<RetrainOptions>().ClickModel);
        Assert.Equal("lightgbm", defaults.GetRequiredService<Core.Clicks.IClickModelTrainer>().Name);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task AClickModelCandidatesOutOfRangeStopsTheStart(string value)
    {
        await using var services = Build(new() { ["Serving:ClickModelCandidates"] = value });

        var refusal = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Serving:ClickModelCandidates must be 1 to 1000", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
