using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Tests;

public sealed class ExplorationCommandTests : IDisposable
{
    private readonly TemporaryDataDirectory _data = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Runs a command on the data directory with the shop's rate fixed: its retrains keep the configured rate instead of
    /// choosing one, so the lists <see cref="ServeAndClickAsync"/> serves at 0.3 are the rate the report speaks of.
    /// </summary>
    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var run = await Run.RecoAsync([KeyValuePair.Create("Reco__AdaptiveExploration", (string?)"false")], [.. args, "--data-dir", _data.Path]);
        return (run.ExitCode, run.Output);
    }

    /// <summary>Serves lists from the data directory's store as the Functions would, and clicks the first item of every third.</summary>
    private async Task ServeAndClickAsync(int lists)
    {
        await using var services = await CliServices.BuildAsync(
            new Dictionary<string, string?> { ["Embedded:DataDirectory"] = _data.Path }, environment: []);
        var options = new ServingOptions { Explore = 0.3, ExplorationSeed = 3 };
        var events = services.GetRequiredService<IEventStore>();
        var service = new RecommendationService(
            new ModelCache(services.GetRequiredService<IModelBlobStore>(), options), services.GetRequiredService<IItemStore>(), events,
            services.GetRequiredService<IServedListStore>(), options);
        for (var i = 0; i < lists; i++)
        {
            var user = $"user-{i % 40:D4}";
            var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
            if (i % 3 == 0)
            {
                await events.AppendAsync(
                    [new BehaviorEvent { EventId = $"click-{i}", UserId = user, ItemId = list.Items[0].ItemId, Type = EventType.Click, Timestamp = DateTimeOffset.UtcNow, RecommendationId = list.RecommendationId }],
                    Cancel);
            }
        }
    }

    [Fact]
    public async Task ReportsOnlineFiguresAndEstimatesAndEveryRetrainReportsThemToo()
    {
        await RunAsync("sample-shop");
        var (_, empty) = await RunAsync("exploration");
        await RunAsync("retrain");
        await ServeAndClickAsync(90);

        var (code, report) = await RunAsync("exploration", "--days", "2", "--rates", "0,0.3");
        var (_, retrain) = await RunAsync("retrain");

        Assert.Contains("no logged recommendation lists", empty, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("900 logged slots", report, StringComparison.Ordinal);
        Assert.Contains("uncertainty(0.3)       all", report, StringComparison.Ordinal);
        Assert.Contains("uncertainty(0.3)       explore", report, StringComparison.Ordinal);
        Assert.Contains("uncertainty(0.3)       exploit", report, StringComparison.Ordinal);
        var rates = report.Split('\n').Where(l => l.StartsWith("   0.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["0.00", "0.10", "0.30"], rates.Select(l => l.Trim()[..4]));   // asked for, plus the configured default
        Assert.Contains("Retrain online uncertainty(0.3) all: 900 impressions", retrain, StringComparison.Ordinal);
        Assert.Contains("Retrain off-policy estimate for exploration 0.3", retrain, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--days", "0")]
    [InlineData("--days", "x")]
    [InlineData("--rates", "0.1,2")]
    [InlineData("--rates", "a")]
    [InlineData("--rates", "NaN")]
    [InlineData("--rates", "0,Infinity")]
    [InlineData("--days", "91")]
    public async Task BadOptionsAreUsageErrors(string option, string value)
    {
        var run = await Run.RecoAsync("exploration", option, value, "--data-dir", _data.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("reco exploration: ", run.Errors, StringComparison.Ordinal);
        Assert.Contains(option, run.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
