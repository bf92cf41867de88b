using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ServerlessReco.Cli.Commands;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Tests;

/// <summary>The simulated shop against a really started local host (a child process, as <c>reco simulate-http</c> starts it).</summary>
public sealed class HttpShopDriverTests(ITestOutputHelper output)
{
    // A week of organic browsing, then 6 days of 6 lists with a retrain every 3 days (days 0 and 3).
    private static readonly ServingSimulationOptions Short = new() { Rounds = 6, RequestsPerRound = 6, RetrainEvery = 3 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OverHttpListsAreServedClicksCiteThemAndEachDayServesTheModelPromotedLast()
    {
        await using var host = await StartHostAsync(SimulatedPolicy.Default);
        using var client = new HttpClient { BaseAddress = host.Address };
        var api = new RecordingShopApi(new HttpShopApi(client, host.AdminKey));

        var run = await ServingSimulation.RunAsync(SimulatedPolicy.Default, Short, new ShopWorld(Short), api, cancellationToken: Cancel);

        // Every request got a full list with an id of its own.
        Assert.Equal(Short.Rounds * Short.RequestsPerRound, api.Lists.Count);
        Assert.Equal(api.Lists.Count, api.Lists.Select(l => l.List.RecommendationId).Distinct().Count());
        Assert.Equal(api.Lists.Count * Short.ListSize, run.ServedSlots);
        Assert.True(run.Result.CumulativeReward > 0);

        using var admin = AdminClient(host);

        // The host attributed the clicks it stored to its logged lists: as many lists and clicks as the run counted.
        var report = await admin.GetFromJsonAsync<JsonElement>("api/manage/exploration?days=1", Cancel);
        var all = report.GetProperty("online").GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("slotKind").GetString() == "all").ToList();
        Assert.Equal(api.Lists.Count, all.Sum(r => r.GetProperty("lists").GetInt32()));
        Assert.Equal(run.Result.CumulativeReward, all.Sum(r => r.GetProperty("clicks").GetInt32()));

        // A shopper who clicked has the click in their history, citing a list they were served.
        var (_, clicker, _) = api.Lists.First(l => api.Clicked(l.List.RecommendationId));
        var shopper = await admin.GetFromJsonAsync<JsonElement>($"api/manage/users/{clicker}", Cancel);
        var cited = shopper.GetProperty("recentEvents").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "click").Select(e => e.GetProperty("recommendationId").GetString()).ToList();
        Assert.NotEmpty(cited);
        Assert.All(cited, id => Assert.Contains(api.Lists, l => l.UserId == clicker && l.List.RecommendationId == id));

        output.WriteLine(string.Join(Environment.NewLine, api.Retrains.Select(r => $"day {r.Day}: {r.Result.Summary}")));

        // Retrains on days 0 and 3 went through the admin API; the first promoted, and from the day of each promotion on,
        // every list came from the model it promoted (one version a day, a new one only on a day that promoted).
        Assert.Equal([Short.WarmUpRounds, Short.WarmUpRounds + 3], api.Retrains.Select(r => r.Day));
        Assert.True(api.Retrains[0].Result.Promoted, api.Retrains[0].Result.Summary);
        var versionByDay = api.Lists.GroupBy(l => l.Day).ToDictionary(d => d.Key, d => Assert.Single(d.Select(l => l.List.ModelVersion).Distinct()));
        Assert.All(versionByDay.Values, Assert.NotNull);
        var promotedOn = api.Retrains.Where(r => r.Result.Promoted).Select(r => r.Day).ToHashSet();
        foreach (var day in versionByDay.Keys.Where(d => versionByDay.ContainsKey(d - 1)))
        {
            Assert.Equal(promotedOn.Contains(day), versionByDay[day] != versionByDay[day - 1]);
        }

        var models = await admin.GetFromJsonAsync<JsonElement>("api/manage/models", Cancel);
        Assert.Equal(models.GetProperty("current").GetProperty("version").GetString(), versionByDay[versionByDay.Keys.Max()]);
    }

    [Fact]
    public async Task InProcessAndOverHttpTheSameSeedDrawsTheSameShop()
    {
        var options = Short with { Rounds = 3, RequestsPerRound = 5 };
        using var embedded = new EmbeddedSimulationStores();
        var inProcess = new RecordingShopApi(new InProcessShopApi(embedded.Stores, SimulatedPolicy.PureExploitation.CreateOptions(options.Seed), options.Start));
        var local = await ServingSimulation.RunAsync(SimulatedPolicy.PureExploitation, options, new ShopWorld(options), inProcess, cancellationToken: Cancel);

        await using var host = await StartHostAsync(SimulatedPolicy.PureExploitation);
        using var client = new HttpClient { BaseAddress = host.Address };
        var overHttp = new RecordingShopApi(new HttpShopApi(client, host.AdminKey));
        var remote = await ServingSimulation.RunAsync(SimulatedPolicy.PureExploitation, options, new ShopWorld(options), overHttp, cancellationToken: Cancel);

        // The world's draws do not depend on how the product is reached: the same shoppers ask on the same days, the
        // same items arrive, the same organic visits are posted; both serve full lists and retrain on the same days.
        Assert.Equal(inProcess.Lists.Select(l => (l.Day, l.UserId)), overHttp.Lists.Select(l => (l.Day, l.UserId)));
        Assert.Equal(inProcess.Items, overHttp.Items);
        Assert.Equal(inProcess.OrganicEvents.Select(Visit), overHttp.OrganicEvents.Select(Visit));
        Assert.Equal(local.Lists.Count, remote.Lists.Count);
        Assert.Equal(local.ServedSlots, remote.ServedSlots);
        // The oracle arm is the simulator's alone: the same ceiling whichever way the product is reached.
        Assert.Equal(local.Result.Oracle!.ExpectedByRound, remote.Result.Oracle!.ExpectedByRound);
        Assert.True(remote.Result.OracleShare is > 0 and < 1, $"share of the oracle {remote.Result.OracleShare}");
        Assert.Equal(inProcess.Retrains.Select(r => (r.Day, r.Result.Trained, r.Result.Promoted)), overHttp.Retrains.Select(r => (r.Day, r.Result.Trained, r.Result.Promoted)));
        // In process the policy's candidates are known (the counterfactual needs them); over HTTP they are not.
        Assert.All(inProcess.Lists, l => Assert.NotNull(l.List.Candidates));
        Assert.All(overHttp.Lists, l => Assert.Null(l.List.Candidates));
    }

    [Fact]
    public async Task ANewDaysOrganicVisitsAreStoredInOrderAndInALaterSecondThanTheDayBefore()
    {
        await using var host = await StartHostAsync(SimulatedPolicy.Default);
        using var client = new HttpClient { BaseAddress = host.Address };
        using var admin = AdminClient(host);
        var api = new HttpShopApi(client, host.AdminKey);
        BehaviorEvent View(string item, DateTimeOffset at) => ServingSimulation.Event("early-bird", item, EventType.View, at, null);

        await api.BeginDayAsync(default, Cancel);
        await api.RecordEventsAsync([View("a", api.Now.AddSeconds(-2)), View("b", api.Now.AddSeconds(-1))], Cancel);
        await api.RecordEventsAsync([View("c", api.Now)], Cancel);
        await api.BeginDayAsync(default, Cancel);
        // As the loop stamps them: a second apart before the day began, i.e. long before the day before ended.
        await api.RecordEventsAsync([View("d", api.Now.AddSeconds(-60)), View("e", api.Now.AddSeconds(-30))], Cancel);

        var shopper = await admin.GetFromJsonAsync<JsonElement>("api/manage/users/early-bird", Cancel);
        var stored = shopper.GetProperty("recentEvents").EnumerateArray()
            .Select(e => (Item: e.GetProperty("itemId").GetString(), At: e.GetProperty("timestamp").GetDateTimeOffset())).ToList();
        Assert.Equal(["e", "d", "c", "b", "a"], stored.Select(e => e.Item));
        Assert.True(stored[1].At.ToUnixTimeSeconds() > stored[2].At.ToUnixTimeSeconds(), $"{stored[1].At:O} after {stored[2].At:O}");
        Assert.True(stored[0].At > stored[1].At && stored[0].At <= api.Now);
    }

    [Fact]
    public void APolicyBecomesHostSettingsThatBindBackToTheSameServingOptions()
    {
        var policy = SimulatedPolicy.UniformRandom.CreateOptions(seed: 4);

        var arguments = ServingArguments.For(policy);
        var bound = new ServingOptions();
        new ConfigurationBuilder().AddCommandLine([.. arguments]).Build().GetSection(ServingOptions.Section).Bind(bound);

        Assert.Contains("--Serving:Explore=1", arguments);
        Assert.Contains("--Serving:NewArrivalSlots=0", arguments);
        Assert.Contains("--Serving:ExplorationSeed=4", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("--Serving:MaxCount", StringComparison.Ordinal));
        Assert.Equal(JsonSerializer.Serialize(policy), JsonSerializer.Serialize(bound));
        var exploitation = ServingArguments.For(SimulatedPolicy.PureExploitation.CreateOptions(1));
        Assert.Contains("--Serving:Explore=0", exploitation);
        Assert.DoesNotContain(exploitation, a => a.StartsWith("--Serving:NewArrivalSlots", StringComparison.Ordinal));   // explore 0 shows none anyway
    }

    [Fact]
    public void APolicyWithoutTheClickModelStartsAHostThatNeitherServesNorTrainsIt()
    {
        var before = HttpSimulation.PolicySettings(SimulatedPolicy.ByName["default-no-click-model"], seed: 2);
        var shipped = HttpSimulation.PolicySettings(SimulatedPolicy.Default, seed: 2);

        Assert.Contains("--Serving:ClickModel=false", before);
        Assert.Contains("--Reco:ClickModel=false", before);
        // Otherwise the same policy: the shipped default's settings, and only these two more.
        Assert.Equal(shipped.Count + 2, before.Count);
        Assert.All(shipped, a => Assert.Contains(a, before));
        Assert.DoesNotContain(shipped, a => a.Contains("ClickModel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCommandPrintsTheRunsAndTheHostsEstimateOfExploreZero()
    {
        var run = await Run.RecoAsync("simulate-http", "--policies", "default", "--rounds", "2", "--requests", "4", "--seeds", "3");

        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Contains("world hand-built, over HTTP; seed 3: 2 days × 4 lists of 10", run.Output, StringComparison.Ordinal);
        Assert.Contains("| uncertainty 0.1 (default) | ", run.Output, StringComparison.Ordinal);
        Assert.Contains("| explore 0.0 | ", run.Output, StringComparison.Ordinal);
        Assert.Contains("Targets (issue 22), judged for uncertainty 0.1 (default) over 1 seeds", run.Output, StringComparison.Ordinal);
        Assert.Contains("(2 runs over HTTP in", run.Output, StringComparison.Ordinal);
    }

    private static (string, string, EventType) Visit(BehaviorEvent e) => (e.UserId, e.ItemId, e.Type);

    private static Task<LocalHostProcess> StartHostAsync(SimulatedPolicy policy) =>
        LocalHostProcess.StartAsync([.. HttpSimulation.DayBoundSettings, .. ServingArguments.For(policy.CreateOptions(Short.Seed))], Cancel);

    private static HttpClient AdminClient(LocalHostProcess host)
    {
        var admin = new HttpClient { BaseAddress = host.Address };
        admin.DefaultRequestHeaders.Add("x-functions-key", host.AdminKey);
        return admin;
    }
}
