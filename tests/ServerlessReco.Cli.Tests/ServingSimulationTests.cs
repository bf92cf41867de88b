using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Tests;

/// <summary>The closed-loop simulation over the embedded stores the <c>simulate</c> command uses.</summary>
public sealed class ServingSimulationTests(ITestOutputHelper output)
{
    // Smaller than the command's default so the suite stays quick: 20 days × 30 lists, a retrain every 5 days.
    private static readonly ServingSimulationOptions Small = new() { Rounds = 20, RequestsPerRound = 30 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLoopServesLogsAttributesAndRetrainsThroughTheRealServices()
    {
        using var embedded = new EmbeddedSimulationStores();
        var stores = embedded.Stores;
        var run = await ServingSimulation.RunAsync(SimulatedPolicy.Default, Small with { Rounds = 10 }, stores, cancellationToken: Cancel);

        var events = await stores.Events.ReadAllAsync(cancellationToken: Cancel).ToListAsync(Cancel);
        var lists = await stores.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel);
        var log = await ExplorationLog.ReadAsync(stores.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel), stores.Events.ReadAllAsync(cancellationToken: Cancel), Cancel);
        // Every served slot was logged by the service itself (one record per list, none as events), with a propensity the log reads back.
        Assert.DoesNotContain(events, e => e.Type == EventType.Impression);
        Assert.Equal(run.ServedSlots, lists.Sum(l => l.Slots.Count));
        Assert.Equal(run.ServedSlots, log.Slots.Count);
        Assert.All(log.Slots, s => Assert.InRange(s.Impression.Propensity, 1e-9, 1));
        Assert.Contains(log.Slots, s => s.Impression.Kind == SlotKind.Explore && s.Impression.Propensity < 1);
        // Every click cites a served list's slot, and the attributed clicks are the rewards the simulation counted.
        var clicks = events.Where(e => e.Type == EventType.Click).ToList();
        Assert.All(clicks, c => Assert.StartsWith("rec-", c.RecommendationId, StringComparison.Ordinal));
        Assert.Equal(0, log.UnattributedRewards);
        Assert.Equal(run.Result.CumulativeReward, log.Slots.Sum(s => s.ClickReward));
        Assert.Equal(run.Result.CumulativeReward, clicks.Count);
        // Retrains every 5 days (days 0 and 5), each promoted through the registry and then served.
        Assert.Equal(2, run.Retrains);
        Assert.Equal(2, run.Promotions);
        var versions = await new ModelRegistry(stores.Models, TimeProvider.System).ListAsync(Cancel);
        Assert.Equal(2, versions.Count);
        Assert.Contains(log.Slots, s => s.Impression.ModelVersion == versions[0].Version);
        Assert.Contains(log.Slots, s => s.Impression.ModelVersion == versions[1].Version);
        // New items were upserted every day with their creation time and category.
        var items = await stores.Items.ReadAllAsync(Cancel).ToListAsync(Cancel);
        Assert.Equal(Small.InitialItems + ((Small.WarmUpRounds + 10) * Small.NewItemsPerRound), items.Count);
        Assert.All(items, i => Assert.NotNull(i.Category));
    }

    [Fact]
    public async Task EachRunSaysWhetherItExploredAndWhetherTheProductRanItsClickModel()
    {
        var options = Small with { Rounds = 1 };

        var before = await RunAsync(SimulatedPolicy.PureExploitation.WithoutClickModel(), options);
        var shipped = await RunAsync(SimulatedPolicy.Default, options);
        var switchedOff = await RunAsync(SimulatedPolicy.Default, options with { ClickModel = false });

        Assert.Equal("pure exploitation, no click model", before.Result.Policy);
        Assert.False(before.Result.Exploring);
        Assert.False(before.Result.ClickModel);
        Assert.True(shipped.Result.Exploring);
        Assert.True(shipped.Result.ClickModel);
        Assert.False(switchedOff.Result.ClickModel);    // simulate --no-click-model: every policy without it
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameRun()
    {
        var options = Small with { Rounds = 6 };
        var first = await RunAsync(SimulatedPolicy.Default, options);
        var second = await RunAsync(SimulatedPolicy.Default, options);
        Assert.Equal(first.Result.RewardByRound, second.Result.RewardByRound);
        Assert.Equal(first.Result.ExpectedReward, second.Result.ExpectedReward, 9);
        Assert.Equal(first.Result.Coverage, second.Result.Coverage);
        Assert.Equal(first.Result.OracleReward, second.Result.OracleReward, 9);
    }

    [Fact]
    public async Task TheDefaultPolicyBeatsExploitationAndIpsMatchesTheCounterfactual()
    {
        // The targets are stated at the horizon: the command's own shop (40 days × 40 lists). Smaller shops measured less:
        // 20 days × 30 lists 1.05×, 40 days × 30 lists 1.07×; exploration pays back with traffic and time.
        var study = await SimulationStudy.RunAsync(new ServingSimulationOptions(), Open, closedLoopTargets: false, cancellationToken: Cancel);
        var writer = new StringWriter();
        Commands.SimulateCommand.Write(study, writer);
        output.WriteLine(writer.ToString());

        var (exploit, explorer, thompson, uniform) = (study.Runs[0], study.Runs[1], study.Runs[2], study.Runs[3]);
        Assert.All(study.Runs, r => Assert.True(r.Result.Regret > 0));
        Assert.True(study.RewardRatio >= SimulationStudyResult.RewardTarget, $"reward ratio {study.RewardRatio:0.000}");
        Assert.True(thompson.Result.CumulativeReward > exploit.Result.CumulativeReward);
        Assert.True(uniform.Result.CumulativeReward < exploit.Result.CumulativeReward);
        Assert.True(uniform.Result.ExposureGini < exploit.Result.ExposureGini);
        Assert.True(study.CoverageRatio > 1.5, $"coverage ratio {study.CoverageRatio:0.000}");
        Assert.All(study.OffPolicy, e => Assert.True(
            Math.Abs(e.IpsGapToCounterfactual) <= SimulationStudyResult.OffPolicyTolerance, $"epsilon {e.Explore}: IPS gap {e.IpsGapToCounterfactual:P1}"));
        Assert.True(explorer.Result.Coverage > exploit.Result.Coverage);
    }

    private static (SimulationStores, IDisposable) Open()
    {
        var stores = new EmbeddedSimulationStores();
        return (stores.Stores, stores);
    }

    private static async Task<ServingSimulationRun> RunAsync(SimulatedPolicy policy, ServingSimulationOptions options)
    {
        using var embedded = new EmbeddedSimulationStores();
        return await ServingSimulation.RunAsync(policy, options, embedded.Stores, cancellationToken: Cancel);
    }
}
