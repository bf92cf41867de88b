using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Storage.Tests.Settings;

/// <summary>The retrain's settings as the hosts compose them: read once from <c>Reco</c>, checked at start, handed to the retrain as options.</summary>
public sealed class RetrainSettingsTests : IDisposable
{
    private readonly ComposedSettings _settings = new();

    [Fact]
    public async Task TheLeaseSettingReachesTheRetrainAndDefaultsToTwoMinutes()
    {
        await using var configured = _settings.Build(new() { ["Reco:RetrainLeaseSeconds"] = "45" });
        await using var defaults = _settings.Build([]);

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
        var refusal = await _settings.RefusalAsync(new() { [$"Reco:{setting}"] = value });

        Assert.IsType<OptionsValidationException>(refusal);
        Assert.Contains($"Reco:{setting} must be", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContentModelSettingIsReadFromTheBoundOptionsOnce()
    {
        await using var off = _settings.Build(new() { ["Reco:ContentModel"] = "false" });
        await using var on = _settings.Build(new() { ["Reco:ContentModel"] = "true", ["Reco:ContentEmbeddingBudgetSeconds"] = "90" });

        Assert.Null(off.GetService<CatalogEmbedding>());
        Assert.Equal(TimeSpan.FromSeconds(90), on.GetRequiredService<CatalogEmbedding>().Options.EmbeddingBudget);
        Assert.NotNull(off.GetRequiredService<RetrainService>()); // without the step
    }

    [Fact]
    public async Task TheClickModelSettingsReachTheRetrainAndTheTrainerIsThere()
    {
        await using var configured = _settings.Build(new() { ["Reco:ClickModel"] = "false", ["Reco:ClickModelMinimumLists"] = "20", ["Reco:ClickModelMinimumClicks"] = "5" });
        await using var defaults = _settings.Build([]);

        Assert.Equal(new Core.Clicks.ClickModelOptions { Enabled = false, MinimumLists = 20, MinimumClicks = 5 }, configured.GetRequiredService<RetrainOptions>().ClickModel);
        Assert.Equal(new Core.Clicks.ClickModelOptions(), defaults.GetRequiredService<RetrainOptions>().ClickModel);
        Assert.Equal("lightgbm", defaults.GetRequiredService<Core.Clicks.IClickModelTrainer>().Name);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task AClickModelCandidatesOutOfRangeStopsTheStart(string value)
    {
        var refusal = await _settings.RefusalAsync(new() { ["Serving:ClickModelCandidates"] = value });

        Assert.Contains("Serving:ClickModelCandidates must be 1 to 1000", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _settings.Dispose();
}
