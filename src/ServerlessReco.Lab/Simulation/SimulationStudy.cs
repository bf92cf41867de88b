namespace ServerlessReco.Lab.Simulation;

/// <summary>Fresh stores for one run and what removes them afterwards.</summary>
public delegate (SimulationStores Stores, IDisposable Cleanup) OpenSimulationStores();

/// <summary>
/// What issue 5 asks of the simulation: the four policies in the same shop, and off-policy estimates of other
/// epsilon-greedy rates from the default policy's logs checked against their counterfactual and closed-loop values.
/// </summary>
public sealed record SimulationStudyResult(
    ServingSimulationOptions Options, IReadOnlyList<ServingSimulationRun> Runs, IReadOnlyList<OffPolicyComparison> OffPolicy)
{
    public const double RewardTarget = 1.10;

    /// <summary>The world's name ("hand-built", "movielens").</summary>
    public string World { get; init; } = SimulationWorld.HandBuilt.Name;
    public const double OffPolicyTolerance = 0.10;

    public ServingSimulationRun Exploitation => Runs[0];

    public ServingSimulationRun Default => Runs[1];

    public double RewardRatio => Default.Result.CumulativeReward / Exploitation.Result.CumulativeReward;

    public double CoverageRatio => Default.Result.Coverage / Exploitation.Result.Coverage;
}

public static class SimulationStudy
{
    /// <summary>The off-policy targets: no exploration at all, and three times the default's.</summary>
    public static IReadOnlyList<double> OffPolicyRates { get; } = [0, 0.3];

    /// <param name="explorer">The exploring policy in the default's place (other settings to try); null: the serving defaults.</param>
    /// <param name="closedLoopTargets">Also run every off-policy target in the loop (two more runs) to compare with.</param>
    /// <param name="others">The policies run after explore=0 and the default; null: Thompson sampling and uniform random.</param>
    public static Task<SimulationStudyResult> RunAsync(
        ServingSimulationOptions options, OpenSimulationStores open, SimulatedPolicy? explorer = null, bool closedLoopTargets = true,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default, IReadOnlyList<SimulatedPolicy>? others = null) =>
        RunAsync(SimulationWorld.HandBuilt, options, open, explorer, closedLoopTargets, progress, cancellationToken, others);

    /// <summary>The study in <paramref name="world"/> (a fresh one per run, all from the seed of <paramref name="options"/>).</summary>
    public static async Task<SimulationStudyResult> RunAsync(
        SimulationWorld world, ServingSimulationOptions options, OpenSimulationStores open, SimulatedPolicy? explorer = null, bool closedLoopTargets = true,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default, IReadOnlyList<SimulatedPolicy>? others = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(world);
        explorer ??= SimulatedPolicy.Default;
        var runs = new List<ServingSimulationRun>();
        IReadOnlyList<OffPolicyComparison> offPolicy = [];
        others ??= SimulatedPolicy.Compared.Skip(2).ToList();
        foreach (var policy in new[] { SimulatedPolicy.PureExploitation, explorer }.Concat(others))
        {
            var (stores, cleanup) = open();
            using (cleanup)
            {
                var run = await ServingSimulation.RunAsync(policy, options, world, stores, progress, cancellationToken).ConfigureAwait(false);
                runs.Add(run);
                if (ReferenceEquals(policy, explorer))
                {
                    // Estimated from this run's store before it goes: the lists the service stored and the clicks citing them.
                    offPolicy = await OffPolicyCheck.CompareAsync(
                        stores, run, OffPolicyRates, policy.CreateOptions(options.Seed), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (closedLoopTargets)
        {
            var withLoops = new List<OffPolicyComparison>();
            foreach (var comparison in offPolicy)
            {
                var (stores, cleanup) = open();
                using (cleanup)
                {
                    var target = explorer with { Name = $"{explorer.Name} at {comparison.Explore}", Configure = o => { explorer.Configure(o); o.Explore = comparison.Explore; } };
                    // The target's rate runs as it is: an adapting rate would no longer be the rate the estimate valued.
                    var run = await ServingSimulation.RunAsync(target, options with { AdaptiveRate = false }, world, stores, progress, cancellationToken).ConfigureAwait(false);
                    withLoops.Add(comparison with { ClosedLoop = run.ClickThroughRateOver(runs[1]) });
                }
            }

            offPolicy = withLoops;
        }

        return new SimulationStudyResult(options, runs, offPolicy) { World = world.Name };
    }
}
