using System.Diagnostics;
using System.Globalization;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Lab.Simulation;

using ServerlessReco.Lab.Charts;
namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco simulate</c>: the exploration policies in a simulated shop, served through the real serving, ingestion and retrain code.</summary>
public sealed class SimulateCommand : ICliCommand
{
    private readonly TextWriter _progress;

    public SimulateCommand()
        : this(Console.Error)
    {
    }

    /// <param name="progress">Where progress goes (standard error), apart from the results.</param>
    public SimulateCommand(TextWriter progress) => _progress = progress;

    public string Name => "simulate";

    public string Summary => "run the exploration policies in a simulated shop through serving, ingestion and retraining; check the issue's targets";

    public string Usage => """
        reco simulate [--rounds 40] [--seed 1] [--requests 40] [--retrain-every 5] [--items 300] [--chart FILE.svg] [--no-closed-loop] [--explore R] [--budget N] [--pool N]

        A shop with known preferences (users whose interests drift, items arriving every day, skewed appeal and placement)
        served for T days by the real RecommendationService over embedded stores in a temporary directory: new items
        upserted and events posted through ingestion, lists drawn by the policy and logged as impressions by the service,
        the simulated shoppers' clicks, add-to-carts and purchases citing each list, a retrain (with its promotion gate)
        every few days. Prints, for pure exploitation, epsilon-greedy (the serving defaults), Thompson sampling and uniform
        random: clicks, regret against the oracle, catalogue coverage and the Gini coefficient of exposure; then what IPS
        estimates for other epsilon-greedy rates from the default's logs against their true values; then the targets.
          --rounds N             simulated days served (default 40)
          --seed S               the shop: users, drift, arrivals, who asks (default 1)
          --requests N           recommendation requests per day (default 40)
          --retrain-every N      days between retrains (default 5)
          --items N              the catalogue on day one (default 300; 3 more arrive every day)
          --chart FILE.svg       also draw clicks over days, one line per policy
          --no-closed-loop       skip running the off-policy targets in the loop (two runs fewer)
          --explore R --budget N --pool N
                                 epsilon-greedy with these settings in the default's place (the rest as served)
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var defaults = new ServingSimulationOptions();
        var options = defaults with
        {
            Rounds = arguments.Int("rounds", defaults.Rounds),
            Seed = arguments.Int("seed", defaults.Seed),
            RequestsPerRound = arguments.Int("requests", defaults.RequestsPerRound),
            RetrainEvery = arguments.Int("retrain-every", defaults.RetrainEvery),
            InitialItems = arguments.Int("items", defaults.InitialItems),
        };
        var chart = arguments.Option("chart");
        var explorer = Explorer(arguments);
        var closedLoop = !arguments.Flag("no-closed-loop");
        CliUsage.RejectUnread(arguments);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }

        var stopwatch = Stopwatch.StartNew();
        var study = await SimulationStudy.RunAsync(
            options,
            () =>
            {
                var stores = new EmbeddedSimulationStores();
                return (stores.Stores, stores);
            },
            explorer, closedLoop, new SynchronousProgress(_progress), cancellationToken).ConfigureAwait(false);
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
        var o = study.Options;
        output.WriteLine(string.Create(c,
            $"seed {o.Seed}: {o.Rounds} days × {o.RequestsPerRound} lists of {o.ListSize}, {o.Users} shoppers, {o.InitialItems} items + {o.NewItemsPerRound} a day, retrain every {o.RetrainEvery} days"));
        output.WriteLine();
        output.WriteLine("| policy | clicks | × exploitation | regret vs oracle | coverage | × exploitation | exposure Gini | models promoted |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        var baseline = study.Exploitation.Result;
        foreach (var run in study.Runs)
        {
            var r = run.Result;
            output.WriteLine(string.Create(c,
                $"| {r.Policy} | {r.CumulativeReward:N0} | {r.CumulativeReward / baseline.CumulativeReward:0.00} | {r.Regret:N0} | {r.Coverage:0.000} | {r.Coverage / baseline.Coverage:0.00} | {r.ExposureGini:0.000} | {run.Promotions} of {run.Retrains} |"));
        }

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

    /// <summary>The serving defaults, or epsilon-greedy with the settings given (to find ones that meet the targets).</summary>
    private static SimulatedPolicy Explorer(CliArguments arguments)
    {
        var explore = arguments.Option("explore");
        var budget = arguments.Option("budget");
        var pool = arguments.Option("pool");
        if (explore is null && budget is null && pool is null)
        {
            return SimulatedPolicy.Default;
        }

        var serving = new ServerlessReco.Core.Serving.ServingOptions();
        var rate = explore is null ? serving.Explore : double.Parse(explore, CultureInfo.InvariantCulture);
        var slots = budget is null ? serving.ExplorationBudget : int.Parse(budget, CultureInfo.InvariantCulture);
        var candidates = pool is null ? serving.ExplorationPool : int.Parse(pool, CultureInfo.InvariantCulture);
        return new SimulatedPolicy(
            string.Create(CultureInfo.InvariantCulture, $"epsilon-greedy {rate}, budget {slots}, pool {candidates}"),
            o => (o.Explore, o.ExplorationBudget, o.ExplorationPool) = (rate, slots, candidates));
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    /// <summary>Progress written at once on the caller's thread (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
