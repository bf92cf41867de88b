using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServerlessReco.Lab.Charts;
using ServerlessReco.Lab.Simulation;
namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco simulate</c>: the exploration policies in a simulated shop, served through the real serving, ingestion and retrain code.</summary>
public sealed class SimulateCommand : RecoCommand
{
    private static readonly ServingSimulationOptions Defaults = new();

    private readonly Option<int> _rounds = new("--rounds") { HelpName = "N", Description = "simulated days served", DefaultValueFactory = _ => Defaults.Rounds };
    private readonly Option<int> _seed = new("--seed") { HelpName = "S", Description = "the shop: users, drift, arrivals, who asks", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int> _requests = new("--requests") { HelpName = "N", Description = "recommendation requests per day", DefaultValueFactory = _ => Defaults.RequestsPerRound };
    private readonly Option<int> _retrainEvery = new("--retrain-every") { HelpName = "N", Description = "days between retrains", DefaultValueFactory = _ => Defaults.RetrainEvery };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "the catalogue on day one (3 more arrive every day)", DefaultValueFactory = _ => Defaults.InitialItems };
    private readonly Option<string?> _chart = new("--chart") { HelpName = "FILE.svg", Description = "also draw clicks over days, one line per policy" };
    private readonly Option<bool> _noClosedLoop = new("--no-closed-loop") { Description = "skip running the off-policy targets in the loop (two runs fewer)" };
    private readonly Option<double?> _explore = new("--explore") { HelpName = "R", Description = "epsilon-greedy at this rate in the default's place (with --budget, --pool; the rest as served)" };
    private readonly Option<int?> _budget = new("--budget") { HelpName = "N", Description = "exploration budget of that epsilon-greedy (slots per list)" };
    private readonly Option<int?> _pool = new("--pool") { HelpName = "N", Description = "exploration pool of that epsilon-greedy (candidates drawn from)" };

    public SimulateCommand()
        : base("simulate", "Run the exploration policies in a simulated shop through serving, ingestion and retraining; check the issue's targets.")
    {
        Details = """
            A shop with known preferences (users whose interests drift, items arriving every day, skewed appeal and placement)
            served for T days by the real RecommendationService over embedded stores in a temporary directory: new items
            upserted and events posted through ingestion, lists drawn by the policy and logged as impressions by the service,
            the simulated shoppers' clicks, add-to-carts and purchases citing each list, a retrain (with its promotion gate)
            every few days. Prints, for pure exploitation, epsilon-greedy (the serving defaults), Thompson sampling and uniform
            random: clicks, regret against the oracle, catalogue coverage and the Gini coefficient of exposure; then what IPS
            estimates for other epsilon-greedy rates from the default's logs against their true values; then the targets.
            Progress goes to standard error.
            """;
        foreach (var option in new Option[] { _rounds, _seed, _requests, _retrainEvery, _items, _chart, _noClosedLoop, _explore, _budget, _pool })
        {
            Add(option);
        }
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = Defaults with
        {
            Rounds = parsed.GetValue(_rounds),
            Seed = parsed.GetValue(_seed),
            RequestsPerRound = parsed.GetValue(_requests),
            RetrainEvery = parsed.GetValue(_retrainEvery),
            InitialItems = parsed.GetValue(_items),
        };
        var chart = parsed.GetValue(_chart);
        var explorer = Explorer(parsed.GetValue(_explore), parsed.GetValue(_budget), parsed.GetValue(_pool));
        var closedLoop = !parsed.GetValue(_noClosedLoop);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            return UsageError(parsed, e.Message);
        }

        var stopwatch = Stopwatch.StartNew();
        var study = await ConsoleProgress<string>.RunAsync(
            error,
            "simulate",
            message => new ProgressLine(message),
            minimumInterval: TimeSpan.Zero,
            progress => SimulationStudy.RunAsync(options, OpenStores, explorer, closedLoop, progress, cancellationToken)).ConfigureAwait(false);
        Write(study, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({study.Runs.Count + (closedLoop ? study.OffPolicy.Count : 0)} runs in {stopwatch.Elapsed.TotalSeconds:0.0} s)"));
        if (chart is not null)
        {
            if (Path.GetDirectoryName(Path.GetFullPath(chart)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await File.WriteAllTextAsync(chart, SimulationChart.Svg(study.Runs.Select(r => r.Result).ToList()), cancellationToken).ConfigureAwait(false);
            output.WriteLine($"chart: {chart}");
        }

        return 0;
    }

    public static void Write(SimulationStudyResult study, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        SimulationTable.WriteShop(study.Options, output);
        output.WriteLine();
        SimulationTable.WritePolicies(study.Runs, study.Exploitation, "exploitation", output);
        output.WriteLine();
        output.WriteLine("Off-policy: clicks per slot of epsilon-greedy at other rates, estimated from the default's logged impressions");
        output.WriteLine("| target | IPS (± s.e.) | SNIPS | on the logged requests (truth) | IPS gap | run in the loop | IPS gap |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var e in study.OffPolicy)
        {
            var loop = e.ClosedLoop is { } v ? v.ToString("0.0000", c) : "not run";
            var loopGap = e.IpsGapToClosedLoop is { } g ? g.ToString("+0.0%;-0.0%", c) : "–";
            output.WriteLine(string.Create(c,
                $"| epsilon {e.Explore:0.0#} | {e.Estimate.Ips.Value:0.0000} ± {e.Estimate.Ips.StandardError:0.0000} | {e.Estimate.SelfNormalisedIps.Value:0.0000} | {e.Counterfactual:0.0000} | {e.IpsGapToCounterfactual:+0.0%;-0.0%} | {loop} | {loopGap} |"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"target: default earns ≥ {SimulationStudyResult.RewardTarget:0.00}× exploitation's clicks: {study.RewardRatio:0.00}× — {Verdict(study.RewardRatio >= SimulationStudyResult.RewardTarget)}"));
        output.WriteLine(string.Create(c, $"target: default covers ≥ {SimulationStudyResult.CoverageTarget:0}× exploitation's catalogue: {study.CoverageRatio:0.00}× — {Verdict(study.CoverageRatio >= SimulationStudyResult.CoverageTarget)}"));
        foreach (var e in study.OffPolicy)
        {
            output.WriteLine(string.Create(c,
                $"target: IPS within {SimulationStudyResult.OffPolicyTolerance:0%} of epsilon {e.Explore:0.0#}'s value on the logged requests: {e.IpsGapToCounterfactual:+0.0%;-0.0%} — {Verdict(Math.Abs(e.IpsGapToCounterfactual) <= SimulationStudyResult.OffPolicyTolerance)}"));
            if (e.IpsGapToClosedLoop is { } gap)
            {
                output.WriteLine(string.Create(c,
                    $"target: IPS within {SimulationStudyResult.OffPolicyTolerance:0%} of epsilon {e.Explore:0.0#} run in the loop: {gap:+0.0%;-0.0%} — {Verdict(Math.Abs(gap) <= SimulationStudyResult.OffPolicyTolerance)}"));
            }
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

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
