namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// How soon new items (those arriving on a served day) were first shown or first clicked, pooled over seeds: the median
/// in days counting never as later than any (so it is "never" when over half never were), the mean over those that were,
/// and the share that never were (with its interval over seeds).
/// </summary>
/// <param name="FirstDayShare">The share that were on the day they arrived (0 days), with its interval over seeds.</param>
public sealed record NewItemWait(double MedianDays, SeedInterval MeanDays, SeedInterval NeverShare, SeedInterval FirstDayShare, int Items)
{
    /// <summary>How many of the pooled items were on the day they arrived (the promise is all of them).</summary>
    public int FirstDayItems { get; init; }
}

/// <summary>One policy over every seed: each figure's mean and 95% interval over seeds, ratios paired within a seed.</summary>
public sealed record PolicySummary(
    string Policy, SeedInterval Clicks, SeedInterval ClickRatio, SeedInterval Purchases, SeedInterval PurchaseRatio, SeedInterval Regret,
    SeedInterval DistinctShown, SeedInterval DistinctRatio, SeedInterval Coverage, SeedInterval ExposureGini, NewItemWait FirstShown, NewItemWait FirstClicked)
{
    /// <summary>Expected clicks: the true click probabilities of what was shown, summed.</summary>
    public SeedInterval ExpectedClicks { get; init; }

    /// <summary>Expected clicks against explore=0's, paired within a seed.</summary>
    public SeedInterval ExpectedRatio { get; init; }

    /// <summary>Expected clicks as a share of the oracle arm's in the same shop.</summary>
    public SeedInterval OracleShare { get; init; }

    /// <summary>Whether the policy explores, and whether the product ran its click model (<see cref="SimulationResult"/>).</summary>
    public bool Exploring { get; init; }

    public bool ClickModel { get; init; }

    /// <summary>Expected clicks against explore=0 of the same product (click model or not), paired within a seed; null when that did not run.</summary>
    public SeedInterval? ExpectedRatioToOwnExploreZero { get; init; }

    /// <summary>Expected clicks and distinct items against explore=0 without the click model (the product before it), paired; null when that did not run.</summary>
    public SeedInterval? ExpectedRatioToBefore { get; init; }

    public SeedInterval? DistinctRatioToBefore { get; init; }
}

/// <summary>The oracle arm over seeds: its expected clicks (the ceiling) and the distinct items it showed.</summary>
public sealed record OracleSummary(SeedInterval ExpectedClicks, SeedInterval DistinctShown);

/// <summary>What IPS estimated for one epsilon-greedy rate from the default's logs, against its truths, over seeds (gaps relative).</summary>
public sealed record OffPolicySummary(double Explore, SeedInterval Ips, SeedInterval Counterfactual, SeedInterval GapToCounterfactual, SeedInterval? ClosedLoop, SeedInterval? GapToClosedLoop);

/// <summary>The study of every seed and its summary; the first policy (pure exploitation, explore=0) is every ratio's baseline.</summary>
public sealed record MultiSeedStudyResult(string World, IReadOnlyList<SimulationStudyResult> Seeds)
{
    public ServingSimulationOptions Options => Seeds[0].Options;

    public IReadOnlyList<PolicySummary> Policies =>
        [.. Enumerable.Range(0, Seeds[0].Runs.Count).Select(Summarise)];

    /// <summary>The oracle arm (the same in every run of a seed: the first policy's is taken); null when the runs had none.</summary>
    public OracleSummary? Oracle
    {
        get
        {
            var arms = Seeds.Select(s => s.Runs[0].Result.Oracle).OfType<OracleArmResult>().ToList();
            return arms.Count < Seeds.Count ? null
                : new OracleSummary(SeedInterval.Of([.. arms.Select(a => a.ExpectedClicks)]), SeedInterval.Of([.. arms.Select(a => a.DistinctShown)]));
        }
    }

    /// <summary>The judged policy's retrains: their off-policy estimates against what the next period earned (<see cref="NextPeriodCheck"/>); null when none explores.</summary>
    public NextPeriodSummary? NextPeriod => Judged < 0 ? null : NextPeriodSummary.Of([.. Seeds.Select(s => s.Runs[Judged])]);

    public IReadOnlyList<OffPolicySummary> OffPolicy =>
        [.. Enumerable.Range(0, Seeds[0].OffPolicy.Count).Select(SummariseOffPolicy)];

    /// <summary>Per policy, clicks and distinct items shown per day averaged over seeds: what the charts draw.</summary>
    public IReadOnlyList<SimulationResult> MeanRuns =>
        [.. Enumerable.Range(0, Seeds[0].Runs.Count).Select(p =>
        {
            var runs = Seeds.Select(s => s.Runs[p].Result).ToList();
            return runs[0] with
            {
                RewardByRound = MeanByRound(runs.Select(r => r.RewardByRound)),
                DistinctShownByRound = MeanByRound(runs.Select(r => r.DistinctShownByRound)),
                ExpectedByRound = MeanByRound(runs.Select(r => r.ExpectedByRound)),
                Oracle = runs.All(r => r.Oracle is not null)
                    ? new OracleArmResult(runs.Average(r => r.Oracle!.ExpectedClicks), MeanByRound(runs.Select(r => r.Oracle!.ExpectedByRound)), runs.Average(r => r.Oracle!.Clicks), runs.Average(r => r.Oracle!.DistinctShown))
                    : null,
            };
        })];

    /// <summary>The first policy at explore=0 with (or without) the click model, or -1: the baselines of issue 22's targets.</summary>
    public int ExploreZero(bool clickModel) =>
        Seeds[0].Runs.Select((r, i) => (r.Result, i)).FirstOrDefault(x => !x.Result.Exploring && x.Result.ClickModel == clickModel, (null!, -1)).Item2;

    /// <summary>The policy issue 22's targets judge: the first that explores with the click model, else the first that explores; -1 if none.</summary>
    public int Judged
    {
        get
        {
            var exploring = Seeds[0].Runs.Select((r, i) => (r.Result, i)).Where(x => x.Result.Exploring).ToList();
            return exploring.Count == 0 ? -1 : exploring.FirstOrDefault(x => x.Result.ClickModel, exploring[0]).i;
        }
    }

    private PolicySummary Summarise(int policy)
    {
        var runs = Seeds.Select(s => s.Runs[policy].Result).ToList();
        var first = runs[0];
        SeedInterval Of(Func<SimulationResult, double> figure) => SeedInterval.Of([.. runs.Select(figure)]);
        SeedInterval RatioTo(int baselinePolicy, Func<SimulationResult, double> figure) =>
            SeedInterval.Of([.. runs.Select((r, i) => figure(Seeds[i].Runs[baselinePolicy].Result) is var b && b == 0 ? double.NaN : figure(r) / b)]);
        SeedInterval Ratio(Func<SimulationResult, double> figure) => RatioTo(0, figure);
        var (own, before) = (ExploreZero(first.ClickModel), ExploreZero(clickModel: false));
        return new PolicySummary(
            runs[0].Policy, Of(r => r.CumulativeReward), Ratio(r => r.CumulativeReward), Of(r => r.Purchases), Ratio(r => r.Purchases), Of(r => r.Regret),
            Of(r => r.DistinctShown), Ratio(r => r.DistinctShown), Of(r => r.Coverage), Of(r => r.ExposureGini),
            Wait(runs, i => i.DaysToFirstShown), Wait(runs, i => i.DaysToFirstClick))
        {
            ExpectedClicks = Of(r => r.ExpectedReward),
            ExpectedRatio = Ratio(r => r.ExpectedReward),
            OracleShare = Of(r => r.OracleShare),
            Exploring = first.Exploring,
            ClickModel = first.ClickModel,
            ExpectedRatioToOwnExploreZero = own < 0 ? null : RatioTo(own, r => r.ExpectedReward),
            ExpectedRatioToBefore = before < 0 ? null : RatioTo(before, r => r.ExpectedReward),
            DistinctRatioToBefore = before < 0 ? null : RatioTo(before, r => r.DistinctShown),
        };
    }

    private static NewItemWait Wait(IReadOnlyList<SimulationResult> runs, Func<NewItemExposure, double?> days)
    {
        var pooled = runs.SelectMany(r => r.NewItems).Select(i => days(i) ?? double.PositiveInfinity).Order().ToList();
        var median = pooled.Count == 0 ? double.NaN
            : pooled.Count % 2 == 1 ? pooled[pooled.Count / 2] : (pooled[(pooled.Count / 2) - 1] + pooled[pooled.Count / 2]) / 2;
        var means = runs.Select(r => r.NewItems.Select(days).OfType<double>().DefaultIfEmpty(double.NaN).Average()).Where(m => !double.IsNaN(m)).ToList();
        var withNew = runs.Where(r => r.NewItems.Count > 0).ToList();
        var never = withNew.Select(r => r.NewItems.Count(i => days(i) is null) / (double)r.NewItems.Count).ToList();
        var firstDay = withNew.Select(r => r.NewItems.Count(i => days(i) == 0) / (double)r.NewItems.Count).ToList();
        return new NewItemWait(median, SeedInterval.Of(means), SeedInterval.Of(never), SeedInterval.Of(firstDay), pooled.Count)
        {
            FirstDayItems = pooled.Count(d => d == 0),
        };
    }

    private OffPolicySummary SummariseOffPolicy(int target)
    {
        var comparisons = Seeds.Select(s => s.OffPolicy[target]).ToList();
        var run = comparisons.All(c => c.ClosedLoop is not null);
        return new OffPolicySummary(
            comparisons[0].Explore,
            SeedInterval.Of([.. comparisons.Select(c => c.Estimate.Ips.Value)]),
            SeedInterval.Of([.. comparisons.Select(c => c.Counterfactual)]),
            SeedInterval.Of([.. comparisons.Select(c => c.IpsGapToCounterfactual)]),
            run ? SeedInterval.Of([.. comparisons.Select(c => c.ClosedLoop!.Value)]) : null,
            run ? SeedInterval.Of([.. comparisons.Select(c => c.IpsGapToClosedLoop!.Value)]) : null);
    }

    private static double[] MeanByRound(IEnumerable<IReadOnlyList<double>> series)
    {
        var all = series.ToList();
        var rounds = all.Count == 0 ? 0 : all.Min(s => s.Count);
        return [.. Enumerable.Range(0, rounds).Select(r => all.Average(s => s[r]))];
    }
}

/// <summary>The study (<see cref="SimulationStudy"/>) over several seeds of one world: each seed a different shop.</summary>
public static class MultiSeedStudy
{
    public static async Task<MultiSeedStudyResult> RunAsync(
        SimulationWorld world, ServingSimulationOptions options, IReadOnlyList<int> seeds, OpenSimulationStores open, SimulatedPolicy? explorer = null,
        bool closedLoopTargets = true, IProgress<string>? progress = null, CancellationToken cancellationToken = default, IReadOnlyList<SimulatedPolicy>? others = null)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed.", nameof(seeds));
        }

        var studies = new List<SimulationStudyResult>(seeds.Count);
        foreach (var seed in seeds)
        {
            var seeded = progress is null ? null : new SeedProgress(progress, seed);
            studies.Add(await SimulationStudy.RunAsync(world, options with { Seed = seed }, open, explorer, closedLoopTargets, seeded, cancellationToken, others).ConfigureAwait(false));
        }

        return new MultiSeedStudyResult(world.Name, studies);
    }
}

/// <summary>Progress of one seed's study, reported at once (in order) with the seed in front.</summary>
internal sealed class SeedProgress(IProgress<string> inner, int seed) : IProgress<string>
{
    public void Report(string value) => inner.Report($"seed {seed}: {value}");
}
