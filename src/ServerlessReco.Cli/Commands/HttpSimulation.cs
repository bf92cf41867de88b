using ServerlessReco.Core.Exploration;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>The host's off-policy estimate of explore=0 from the default's logs, and explore=0 run over HTTP in the same shop.</summary>
internal sealed record HttpOffPolicy(RateEstimate Estimate, ServingSimulationRun? Target, ServingSimulationRun? Logged = null)
{
    /// <summary>The target run's clicks per slot, over the places the logged run's policy decided when it is known (<see cref="ServingSimulationRun.ClickThroughRateOver"/>).</summary>
    public double? TargetValue => Target is { } run ? (Logged is { } logged ? run.ClickThroughRateOver(logged) : run.ClickThroughRate) : null;

    /// <summary>(IPS − the target's value) / the target's value.</summary>
    public double? IpsGap => TargetValue is { } value && value > 0 ? (Estimate.Ips.Value - value) / value : null;
}

/// <summary>One seed's runs over HTTP, the baseline first.</summary>
internal sealed record HttpSeedStudy(ServingSimulationOptions Options, IReadOnlyList<ServingSimulationRun> Runs, HttpOffPolicy? OffPolicy);

/// <summary>
/// The closed loop through the HTTP API: for each policy a fresh local host (child process, empty store) started with the
/// policy's serving settings as command-line settings (<see cref="ServingArguments"/>), the loop run against it with
/// <see cref="HttpShopApi"/>, the host stopped. After the default policy's run the host's own off-policy estimate of
/// explore=0 (<c>GET /api/manage/exploration?rates=0</c>) is read, and explore=0 is then run to compare with it.
/// </summary>
internal sealed class HttpSimulation(string world, IReadOnlyList<string> hostSettings, IProgress<string>? progress, CancellationToken cancellationToken)
{
    /// <summary>
    /// Serving re-reads the model, catalogue and trending on intervals of real time (30 s, 1 and 5 minutes); a simulated
    /// day lasts seconds, so the driver reloads them between days (<see cref="HttpShopApi.RefreshAsync"/>) and the intervals
    /// are set beyond any run: like the in-process clock that stands still within a day, nothing reloads mid-day.
    /// </summary>
    public static IReadOnlyList<string> DayBoundSettings { get; } =
        ["--Serving:ModelCheckInterval=1.00:00:00", "--Serving:CatalogRefreshInterval=1.00:00:00", "--Serving:TrendingRefreshInterval=1.00:00:00"];

    /// <summary>The window the host's exploration report reads: every list of a run made now.</summary>
    private const int EstimateDays = 1;

    /// <param name="offPolicy">After the default's run, read the host's estimate of explore=0 and run explore=0 to compare (reusing a run of the same settings).</param>
    public async Task<HttpSeedStudy> RunSeedAsync(ServingSimulationOptions options, IReadOnlyList<SimulatedPolicy> policies, bool offPolicy = true)
    {
        var runs = new List<ServingSimulationRun>();
        var runsBySettings = new Dictionary<string, ServingSimulationRun>(StringComparer.Ordinal);
        RateEstimate? estimate = null;
        ServingSimulationRun? logged = null;
        foreach (var policy in policies)
        {
            var wantsEstimate = offPolicy && ReferenceEquals(policy, SimulatedPolicy.Default);
            var (run, estimated) = await RunAsync(policy, options, wantsEstimate).ConfigureAwait(false);
            estimate ??= estimated;
            logged = wantsEstimate ? run : logged;
            runs.Add(run);
            runsBySettings.TryAdd(SettingsKey(policy, options.Seed), run);
        }

        if (estimate is null)
        {
            return new HttpSeedStudy(options, runs, null);
        }

        // explore=0 is the default's settings at rate 0 (what the estimate is of); a run with the same settings is reused.
        var target = ExploreZero(SimulatedPolicy.Default);
        if (!runsBySettings.TryGetValue(SettingsKey(target, options.Seed), out var targetRun))
        {
            (targetRun, _) = await RunAsync(target, options, wantsEstimate: false).ConfigureAwait(false);
        }

        return new HttpSeedStudy(options, runs, new HttpOffPolicy(estimate, targetRun, logged));
    }

    /// <summary>The loop against a host already running (its settings, its store as it is), and its estimate of explore=0 afterwards.</summary>
    public async Task<HttpSeedStudy> RunAgainstAsync(Uri address, string? adminKey, ServingSimulationOptions options)
    {
        using var client = Client(address);
        var api = new HttpShopApi(client, adminKey);
        var policy = new SimulatedPolicy($"the host at {address}", _ => { });
        var run = await ServingSimulation.RunAsync(policy, options, ShopWorlds.Create(world, options), api, progress, cancellationToken).ConfigureAwait(false);
        var estimate = await api.EstimateAsync(0, EstimateDays, cancellationToken).ConfigureAwait(false);
        return new HttpSeedStudy(options, [run], new HttpOffPolicy(estimate, null));
    }

    public static SimulatedPolicy ExploreZero(SimulatedPolicy policy) =>
        policy with { Name = $"{policy.Name} at explore=0", Configure = o => { policy.Configure(o); o.Explore = 0; } };

    private async Task<(ServingSimulationRun Run, RateEstimate? Estimate)> RunAsync(SimulatedPolicy policy, ServingSimulationOptions options, bool wantsEstimate)
    {
        await using var host = await LocalHostProcess.StartAsync(
            [.. DayBoundSettings, .. PolicySettings(policy, options.Seed), .. hostSettings], cancellationToken).ConfigureAwait(false);
        progress?.Report($"{policy.Name}: seed {options.Seed}, local host at {host.Address}");
        using var client = Client(host.Address);
        var api = new HttpShopApi(client, host.AdminKey);
        var run = await ServingSimulation.RunAsync(policy, options, ShopWorlds.Create(world, options), api, progress, cancellationToken).ConfigureAwait(false);
        var estimate = wantsEstimate ? await api.EstimateAsync(0, EstimateDays, cancellationToken).ConfigureAwait(false) : null;
        return (run, estimate);
    }

    /// <summary>
    /// The host's settings of a policy: its serving settings (<see cref="ServingArguments"/>), and for a policy that serves
    /// without the click model (<see cref="SimulatedPolicy.WithoutClickModel"/>, the product before it) a retrain that
    /// does not train one either, as in process.
    /// </summary>
    internal static IReadOnlyList<string> PolicySettings(SimulatedPolicy policy, int seed)
    {
        var serving = policy.CreateOptions(seed);
        return [.. ServingArguments.For(serving), .. serving.ClickModel ? Array.Empty<string>() : ["--Reco:ClickModel=false"]];
    }

    private static string SettingsKey(SimulatedPolicy policy, int seed) => string.Join(' ', ServingArguments.For(policy.CreateOptions(seed)));

    /// <summary>A retrain with the content model embeds the catalogue before it answers: minutes on a first large run.</summary>
    private static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
}
