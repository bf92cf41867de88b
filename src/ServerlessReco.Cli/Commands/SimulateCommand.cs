using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServerlessReco.Embeddings;
using ServerlessReco.Lab.Simulation;
namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco simulate</c>: the exploration policies in a simulated shop, served through the real serving, ingestion and retrain code.</summary>
public sealed class SimulateCommand : RecoCommand
{
    private static readonly ServingSimulationOptions Defaults = new();
    private static readonly ServingSimulationOptions MovieLensDefaults = SimulationWorld.MovieLensDefaults;

    private readonly Option<string> _world = new Option<string>("--world") { HelpName = "NAME", Description = "hand-built (made-up shoppers and items) or movielens (a shop fitted on MovieLens-100k)", DefaultValueFactory = _ => SimulationWorld.HandBuilt.Name }
        .AcceptOnlyFromAmong(SimulationWorld.HandBuilt.Name, "movielens");
    private readonly Option<int?> _rounds = new("--rounds") { HelpName = "N", Description = $"simulated days served [default: {Defaults.Rounds}; movielens {MovieLensDefaults.Rounds}]" };
    private readonly Option<int> _seed = new("--seed") { HelpName = "S", Description = "the first seed: the shop (hand-built: users, drift, arrivals; movielens: the time cut), who asks, the draws", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int> _seeds = new Option<int>("--seeds") { HelpName = "N", Description = "seeds S, S+1, …, S+N−1: N shops, every figure with its 95% interval over them", DefaultValueFactory = _ => 1 }.AtLeast(1);
    private readonly Option<int?> _requests = new("--requests") { HelpName = "N", Description = $"recommendation requests per day [default: {Defaults.RequestsPerRound}]" };
    private readonly Option<int> _retrainEvery = new("--retrain-every") { HelpName = "N", Description = "days between retrains", DefaultValueFactory = _ => Defaults.RetrainEvery };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "hand-built: the catalogue on day one (3 more arrive every day)", DefaultValueFactory = _ => Defaults.InitialItems };
    private readonly Option<int> _newItems = new Option<int>("--new-items") { HelpName = "N", Description = "hand-built: items arriving every day", DefaultValueFactory = _ => Defaults.NewItemsPerRound }.AtLeast(0);
    private readonly Option<int?> _tasteShiftDay = new("--taste-shift-day") { HelpName = "D", Description = "hand-built: on served day D (from 0) every shopper's tastes change altogether [default: never]" };
    private readonly Option<double> _observedShare = new("--observed-share") { HelpName = "S", Description = "movielens: the share of the real ratings after the cut the shop sees (the rest only move tastes on)", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _data = new("--data") { HelpName = "DIR", Description = "movielens: the ml-100k folder (u.data, u.item, u.genre) [default: shared/data/ml-100k beside the repository]" };
    private readonly Option<bool> _noContentModel = new("--no-content-model") { Description = "movielens: retrain without the content model (by default MiniLM embeds titles and genres, once per process)" };
    private readonly Option<string?> _chart = new("--chart") { HelpName = "FILE.svg", Description = "also draw clicks over days (FILE.svg), distinct items shown (FILE-coverage.svg) and the share of the oracle's expected clicks (FILE-oracle.svg), one line per policy, mean over seeds" };
    private readonly Option<bool> _noClickModel = new("--no-click-model") { Description = "the product without its click model: neither trained at retrain nor re-ranking lists (by default it is, once its gate lets it)" };
    private readonly Option<bool> _fixedRate = new("--fixed-rate") { Description = "the exploration rate stays the policy's configured one (by default each retrain chooses it from what it earned)" };
    private readonly Option<bool> _noClosedLoop = new("--no-closed-loop") { Description = "skip running the off-policy targets in the loop (two runs fewer per seed)" };
    private readonly Option<double?> _explore = new("--explore") { HelpName = "R", Description = "epsilon-greedy at this rate in the default's place (with --budget, --pool; the rest as served)" };
    private readonly Option<int?> _budget = new("--budget") { HelpName = "N", Description = "exploration budget of that epsilon-greedy (slots per list)" };
    private readonly Option<string[]> _others = new("--others")
    {
        HelpName = "NAME",
        Description = "the policies run besides explore=0 and the default: thompson, uniform, exploitation-no-click-model, default-no-click-model (the product before the click model), or none (only those two) [default: thompson uniform]",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => ["thompson", "uniform"],
    };
    private readonly Option<int?> _pool = new("--pool") { HelpName = "N", Description = "exploration pool of that epsilon-greedy (candidates drawn from)" };

    public SimulateCommand()
        : base("simulate", "Run the exploration policies in a simulated shop through serving, ingestion and retraining; check the issue's targets.")
    {
        Details = """
            A shop with known preferences served for T days by the real RecommendationService over embedded stores in a
            temporary directory: new items upserted and events posted through ingestion, lists drawn by the policy and
            logged as impressions by the service, the simulated shoppers' clicks, add-to-carts and purchases citing each
            list, a retrain (with its promotion gate) every few days. Two worlds: hand-built (users whose category
            interests drift, items arriving every day, skewed appeal and placement) and movielens (truth fitted on every
            MovieLens-100k rating: real histories up to a time cut per seed, movies arriving in their real order, the
            real ratings as organic visits, clicks by the shopper's taste and a position discount; one day = 3 real days).
            Prints, for pure exploitation (explore=0), the serving defaults (the uncertainty policy), Thompson sampling and
            uniform random: clicks and purchases against explore=0, expected clicks as a share of the oracle arm's (each
            shopper shown their true best items beside the product, which never sees them), distinct items shown,
            coverage, the Gini coefficient of exposure, how soon new items were first shown and clicked; then what IPS
            estimates for other exploration rates from the default's logs against their true values; then the targets.
            With --seeds N every figure is a mean with its 95% t-interval over the N shops. Progress goes to standard error.
            """;
        foreach (var option in new Option[] { _world, _seed, _seeds, _rounds, _requests, _retrainEvery, _items, _newItems, _tasteShiftDay, _observedShare, _data, _noContentModel, _noClickModel, _fixedRate, _chart, _noClosedLoop, _others, _explore, _budget, _pool })
        {
            Add(option);
        }
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var movieLens = parsed.GetValue(_world) == "movielens";
        var options = ShopOptions(parsed, movieLens ? MovieLensDefaults : Defaults);
        var seeds = Enumerable.Range(options.Seed, parsed.GetValue(_seeds)).ToList();
        var explorer = Explorer(parsed.GetValue(_explore), parsed.GetValue(_budget), parsed.GetValue(_pool));
        var closedLoop = !parsed.GetValue(_noClosedLoop);
        var movieLensWorld = new MovieLensWorldOptions { ObservedShare = parsed.GetValue(_observedShare) };
        var others = parsed.GetValue(_others)!.Where(n => !n.Equals("none", StringComparison.OrdinalIgnoreCase)).ToList();
        if (others.Any(n => !SimulatedPolicy.ByName.TryGetValue(n, out var p) || p == SimulatedPolicy.PureExploitation || p == SimulatedPolicy.Default))
        {
            return UsageError(parsed, "--others: thompson, uniform, exploitation-no-click-model, default-no-click-model or none (explore=0 and the default always run).");
        }

        try
        {
            options.Validate();
            movieLensWorld.Validate();
        }
        catch (ArgumentException e)
        {
            return UsageError(parsed, e.Message);
        }

        var folder = parsed.GetValue(_data) ?? MovieLensTruth.Find(Directory.GetCurrentDirectory()) ?? MovieLensTruth.Find(AppContext.BaseDirectory);
        if (movieLens && (folder is null || !File.Exists(Path.Combine(folder, "u.data"))))
        {
            return UsageError(parsed, $"--data: no MovieLens-100k folder (u.data, u.item, u.genre) {(folder is null ? "found beside the repository" : $"at {folder}")}.");
        }

        using var transformer = movieLens && !parsed.GetValue(_noContentModel) ? new MiniLmItemEmbedder() : null;
        var world = movieLens ? SimulationWorld.MovieLens(folder!, transformer is null ? null : new MemoizedItemEmbedder(transformer), movieLensWorld) : SimulationWorld.HandBuilt;
        var stopwatch = Stopwatch.StartNew();
        var study = await ConsoleProgress<string>.RunAsync(
            error,
            "simulate",
            message => new ProgressLine(message),
            minimumInterval: TimeSpan.Zero,
            progress => MultiSeedStudy.RunAsync(
                world, options, seeds, OpenStores, explorer, closedLoop, progress, cancellationToken, [.. others.Select(n => SimulatedPolicy.ByName[n])])).ConfigureAwait(false);
        WriteStudy(study, movieLens ? movieLensWorld : null, closedLoop, stopwatch.Elapsed, output);
        if (parsed.GetValue(_chart) is { } chart)
        {
            await SimulationChartFiles.WriteAsync(study, chart, string.Empty, output, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The shop of every run: the world's defaults with what the command line changed.</summary>
    private ServingSimulationOptions ShopOptions(ParseResult parsed, ServingSimulationOptions defaults) => defaults with
    {
        Rounds = parsed.GetValue(_rounds) ?? defaults.Rounds,
        Seed = parsed.GetValue(_seed),
        RequestsPerRound = parsed.GetValue(_requests) ?? defaults.RequestsPerRound,
        RetrainEvery = parsed.GetValue(_retrainEvery),
        InitialItems = parsed.GetValue(_items),
        NewItemsPerRound = parsed.GetValue(_newItems),
        TasteShiftDay = parsed.GetValue(_tasteShiftDay),
        ClickModel = !parsed.GetValue(_noClickModel),
        AdaptiveRate = !parsed.GetValue(_fixedRate),
    };

    /// <summary>The tables: one seed's in full first when there is one, then the summary over seeds and the time taken.</summary>
    private static void WriteStudy(MultiSeedStudyResult study, MovieLensWorldOptions? movieLens, bool closedLoop, TimeSpan elapsed, TextWriter output)
    {
        if (study.Seeds.Count == 1)
        {
            Write(study.Seeds[0], output);
            output.WriteLine();
        }

        if (movieLens is { ObservedShare: < 1 })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(the shop sees {movieLens.ObservedShare:0.###} of the real ratings after the cut: --observed-share)"));
        }

        SimulationSummaryWriter.Write(study, output);
        var runs = study.Seeds.Sum(s => s.Runs.Count + (closedLoop ? s.OffPolicy.Count : 0));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({runs} runs in {elapsed.TotalSeconds:0.0} s, {Environment.ProcessorCount} cores)"));
    }

    public static void Write(SimulationStudyResult study, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        SimulationTable.WriteShop(study.Options, output, handBuilt: study.World == ShopWorlds.HandBuilt);
        output.WriteLine();
        SimulationTable.WritePolicies(study.Runs, study.Exploitation, "exploitation", output);
        output.WriteLine();
        output.WriteLine("Off-policy: clicks per slot of the default policy at other exploration rates, estimated from the default's logged impressions");
        output.WriteLine("| target | IPS (± s.e.) | SNIPS | on the logged requests (truth) | IPS gap | run in the loop | IPS gap |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var e in study.OffPolicy)
        {
            var loop = e.ClosedLoop is { } v ? v.ToString("0.0000", c) : "not run";
            var loopGap = e.IpsGapToClosedLoop is { } g ? g.ToString("+0.0%;-0.0%", c) : "–";
            output.WriteLine(string.Create(c,
                $"| explore {e.Explore:0.0#} | {e.Estimate.Ips.Value:0.0000} ± {e.Estimate.Ips.StandardError:0.0000} | {e.Estimate.SelfNormalisedIps.Value:0.0000} | {e.Counterfactual:0.0000} | {e.IpsGapToCounterfactual:+0.0%;-0.0%} | {loop} | {loopGap} |"));
        }

    }

    private static (SimulationStores, IDisposable) OpenStores()
    {
        var stores = new EmbeddedSimulationStores();
        return (stores.Stores, stores);
    }

    /// <summary>The serving defaults, or epsilon-greedy with the settings given (to find ones that meet the targets).</summary>
    private static SimulatedPolicy Explorer(double? explore, int? budget, int? pool)
    {
        if (explore is null && budget is null && pool is null)
        {
            return SimulatedPolicy.Default;
        }

        var serving = new ServerlessReco.Core.Serving.ServingOptions();
        var rate = explore ?? serving.Explore;
        var slots = budget ?? serving.ExplorationBudget;
        var candidates = pool ?? serving.ExplorationPool;
        return new SimulatedPolicy(
            string.Create(CultureInfo.InvariantCulture, $"epsilon-greedy {rate}, budget {slots}, pool {candidates}"),
            o => (o.Explore, o.ExplorationBudget, o.ExplorationPool) = (rate, slots, candidates));
    }
}
