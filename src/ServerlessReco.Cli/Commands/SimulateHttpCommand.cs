using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco simulate-http</c>: the simulated shop driving the local host over its HTTP API, as a shop would.</summary>
public sealed class SimulateHttpCommand : RecoCommand
{
    private static readonly ServingSimulationOptions Defaults = new();

    private static IReadOnlyDictionary<string, SimulatedPolicy> PoliciesByName => SimulatedPolicy.ByName;

    private readonly Option<string> _world = new("--world") { HelpName = "NAME", Description = $"the shop's truth: {string.Join(", ", ShopWorlds.Names)}", DefaultValueFactory = _ => ShopWorlds.HandBuilt };
    private readonly Option<int[]> _seeds = new("--seeds") { HelpName = "S", Description = "one shop per seed (--seeds 1 2 3)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [Defaults.Seed] };
    private readonly Option<int> _rounds = new("--rounds") { HelpName = "N", Description = "simulated days served", DefaultValueFactory = _ => Defaults.Rounds };
    private readonly Option<int> _requests = new("--requests") { HelpName = "N", Description = "recommendation requests per day", DefaultValueFactory = _ => Defaults.RequestsPerRound };
    private readonly Option<int> _retrainEvery = new("--retrain-every") { HelpName = "N", Description = "days between retrains", DefaultValueFactory = _ => Defaults.RetrainEvery };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "the catalogue on day one", DefaultValueFactory = _ => Defaults.InitialItems };
    private readonly Option<int> _newItems = new Option<int>("--new-items") { HelpName = "N", Description = "hand-built: items arriving every day", DefaultValueFactory = _ => Defaults.NewItemsPerRound }.AtLeast(0);
    private readonly Option<int?> _tasteShiftDay = new("--taste-shift-day") { HelpName = "D", Description = "hand-built: on served day D (from 0) every shopper's tastes change altogether [default: never]" };
    private readonly Option<string[]> _policies = new("--policies") { HelpName = "NAME", Description = $"policies run, the baseline first: {string.Join(", ", PoliciesByName.Keys)}", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["exploitation", "default"] };
    private readonly Option<string[]> _hostSettings = new("--host-setting") { HelpName = "KEY=VALUE", Description = "more settings of every local host started (Reco:ContentModel=false)", DefaultValueFactory = _ => [] };
    private readonly Option<Uri?> _url = new("--url") { HelpName = "URL", Description = "drive this running host instead (its settings and store as they are): one run per seed" };
    private readonly Option<string?> _chart = new("--chart") { HelpName = "FILE.svg", Description = "also draw clicks (FILE.svg), distinct items shown (FILE-coverage.svg) and the share of the oracle's expected clicks (FILE-oracle.svg) over days, mean over seeds" };
    private readonly Option<bool> _noOffPolicy = new("--no-off-policy") { Description = "skip the host's off-policy estimate of explore=0 after the default's run, and the explore=0 run it is compared with (one host fewer per seed when explore=0 is not among --policies)" };
    private readonly Option<string?> _adminKey = new("--admin-key") { HelpName = "KEY", Description = "with --url: the host's admin key (LocalHost:AdminKey)" };

    public SimulateHttpCommand()
        : base("simulate-http", "Run the simulated shop against the local host over its HTTP API: items, events, lists, retrains as a shop sends them.")
    {
        Details = """
            For each seed and policy a fresh local host is started as a child process (free loopback port, empty embedded
            store in a temporary folder, an admin key, the policy's serving settings as --Serving:X=value), and the
            simulated shop of `reco simulate` talks to it only over HTTP: PUT /api/items for the catalogue and each day's
            arrivals, POST /api/events for organic visits and for the clicks, add-to-carts and purchases that cite each
            list's recommendationId, GET /api/users/{id}/recommendations for every list, the Retrain function through the
            host's admin API every few days, GET /api/manage/models to see what it did. The host logs every list it serves
            (with its propensities), so no impression events are posted. After the default policy's run the host's own
            off-policy estimate of explore=0 (GET /api/manage/exploration) is read and explore=0 is run to compare with it.
            Prints the tables of `reco simulate` per seed (and summed when there are several), and every policy's expected
            clicks as a share of the oracle arm's (the simulator's own, never sent to the host) with 95% intervals over the
            seeds. Progress goes to standard error.

            Time over HTTP is the host's: a simulated day is one round of requests, events carry the real time, new items are
            created at the real time of their day, so every item a run adds stays within the 14-day new-arrival window and
            the whole run within one trending half-life. Serving reloads model, catalogue and trending between days
            (POST /admin/serving/refresh of the local host) and never on its own mid-day.
            """;
        foreach (var option in new Option[] { _world, _seeds, _rounds, _requests, _retrainEvery, _items, _newItems, _tasteShiftDay, _policies, _hostSettings, _noOffPolicy, _url, _adminKey, _chart })
        {
            Add(option);
        }
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var world = parsed.GetValue(_world)!;
        var names = parsed.GetValue(_policies)!;
        var unknown = names.Where(n => !PoliciesByName.ContainsKey(n)).ToList();
        if (!ShopWorlds.Names.Contains(world) || unknown.Count > 0 || names.Length == 0)
        {
            return UsageError(parsed, $"--world is one of {string.Join(", ", ShopWorlds.Names)}; --policies are among {string.Join(", ", PoliciesByName.Keys)}.");
        }

        var shops = parsed.GetValue(_seeds)!.Select(seed => ShopWorlds.Suited(world, Defaults) with
        {
            Seed = seed,
            Rounds = parsed.GetValue(_rounds),
            RequestsPerRound = parsed.GetValue(_requests),
            RetrainEvery = parsed.GetValue(_retrainEvery),
            InitialItems = parsed.GetValue(_items),
            NewItemsPerRound = parsed.GetValue(_newItems),
            TasteShiftDay = parsed.GetValue(_tasteShiftDay),
        }).ToList();
        try
        {
            shops.ForEach(s => s.Validate());
        }
        catch (ArgumentException e)
        {
            return UsageError(parsed, e.Message);
        }

        var policies = names.Select(n => PoliciesByName[n]).ToList();
        var hostSettings = parsed.GetValue(_hostSettings)!.Select(s => "--" + s).ToList();
        var url = parsed.GetValue(_url);
        var stopwatch = Stopwatch.StartNew();
        var studies = await ConsoleProgress<string>.RunAsync(
            error, "simulate-http", message => new ProgressLine(message), minimumInterval: TimeSpan.Zero,
            async progress =>
            {
                var simulation = new HttpSimulation(world, hostSettings, progress, cancellationToken);
                var done = new List<HttpSeedStudy>();
                foreach (var shop in shops)
                {
                    done.Add(url is null
                        ? await simulation.RunSeedAsync(shop, policies, offPolicy: !parsed.GetValue(_noOffPolicy)).ConfigureAwait(false)
                        : await simulation.RunAgainstAsync(url, parsed.GetValue(_adminKey), shop).ConfigureAwait(false));
                }

                return done;
            }).ConfigureAwait(false);
        HttpSimulationReport.Write(world, studies, baselineName: url is null ? names[0] : "itself", output);
        if (parsed.GetValue(_chart) is { } chart)
        {
            await SimulationChartFiles.WriteAsync(HttpSimulationReport.Study(world, studies), chart, ", over HTTP", output, cancellationToken).ConfigureAwait(false);
        }

        var hosts = studies.Sum(s => s.Runs.Count + (s.OffPolicy?.Target is { } t && !s.Runs.Contains(t) ? 1 : 0));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({hosts} runs over HTTP in {stopwatch.Elapsed.TotalSeconds:0.0} s)"));
        return 0;
    }
}
