using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Lab.Simulation;

/// <summary>What one retrain of the run estimated off-policy, from its version record, on the served day it ran before.</summary>
/// <param name="Round">The served day (0: the first) whose lists the retrained version is the first to serve, if promoted.</param>
/// <param name="Rate">The exploration rate it chose, with the estimates the choice rests on (<c>metrics.json</c> → <c>explorationRate</c>).</param>
/// <param name="ClickModel">Its click model's decision, with the gate's estimates of the new ranking on the held-out lists (<c>clickModel</c>).</param>
/// <param name="LoggedByClickModel">Whether the version that served the lists it estimates from re-ranked them with a click model.</param>
public sealed record RetrainEstimates(int Round, bool Promoted, ExplorationRateChoice? Rate, ClickModelDecision? ClickModel, bool LoggedByClickModel);

/// <summary>
/// One retrain's estimates against what the next period (the days until the next retrain) then really earned, in
/// expected clicks per slot the policy decided (the world's true click probabilities; new-arrival slots left out, as
/// the estimates leave them out).
/// </summary>
/// <param name="Rate">The rate the next period is served at: the retrain's choice when its version was promoted, the champion's otherwise.</param>
/// <param name="EstimateAtRate">Self-normalised IPS of that rate, from the lists logged since the champion was promoted (null: too few slots to judge).</param>
/// <param name="TruthAtRate">What the next period's lists earned, served at that rate by the version serving then.</param>
/// <param name="EstimateAtZero">The same estimate of explore=0 (<see cref="ExplorationRateChoice.Exploitation"/>).</param>
/// <param name="TruthAtZero">Explore=0 on the next period's requests: the head of the candidates each list was drawn from (null over HTTP, which does not see them).</param>
/// <param name="LoggedByClickModel">The estimates value the click model's policy: the lists they read were ranked by one (false after the period before the first click model served).</param>
/// <param name="GateEstimate">The click-model gate's SNIPS of the new ranking per judged slot (its top half of each held-out list), when the version was promoted with its click model serving.</param>
public sealed record NextPeriodComparison(
    int Round, bool Promoted, double Rate, double? EstimateAtRate, double TruthAtRate, double? EstimateAtZero, double? TruthAtZero, bool LoggedByClickModel, double? GateEstimate);

/// <summary>
/// The off-policy question a retrain's gate and rate choice answer: what will the policy earn if it serves the next
/// period. In the default's own loop each retrain's estimates (from the lists the serving version logged with
/// exploration on) are set against what the next period then earned: no second loop, the run itself is the next period.
/// </summary>
public static class NextPeriodCheck
{
    public static IReadOnlyList<NextPeriodComparison> Compare(
        IReadOnlyList<RetrainEstimates> retrains, IReadOnlyList<SimulatedList> lists, ServingSimulationOptions options, ServingOptions serving)
    {
        ArgumentNullException.ThrowIfNull(retrains);
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serving);
        var result = new List<NextPeriodComparison>();
        foreach (var retrain in retrains)
        {
            // The first retrain's window holds no served list: it has nothing to estimate from.
            if (retrain.Round == 0 || retrain.Rate is not { } rate)
            {
                continue;
            }

            var end = Math.Min(lists.Count, (retrain.Round + options.RetrainEvery) * options.RequestsPerRound);
            var period = lists.Skip(retrain.Round * options.RequestsPerRound).Take(end - (retrain.Round * options.RequestsPerRound)).ToList();
            var slots = period.Sum(l => l.PolicySlots);
            if (slots == 0)
            {
                continue;
            }

            var seen = period.All(l => l.Candidates.Count > 0);
            double? truthAtZero = seen
                ? OffPolicyCheck.Counterfactual(period, ExplorationPolicies.Create(serving.ToExplorationSettings(), 0), newArrivals: false)
                : null;
            // A challenger the gate keeps back does not serve its choice: the champion's rate (the choice's starting point) goes on.
            var served = retrain.Promoted ? rate.Rate : rate.PreviousRate;
            var atRate = rate.Evidence.FirstOrDefault(e => e.Explore == served);
            var gate = retrain.Promoted && retrain.ClickModel is { Serves: true, Gate: { } g } ? g.SelfNormalisedIps.ClickModel / (options.ListSize / 2) : (double?)null;
            result.Add(new NextPeriodComparison(
                retrain.Round, retrain.Promoted, served, atRate?.Value, period.Sum(l => l.PolicySlotExpected) / slots, rate.Exploitation?.Value, truthAtZero,
                retrain.LoggedByClickModel, gate));
        }

        return result;
    }

    /// <summary>(Σ estimates − Σ truths) / Σ truths over the retrains that have both; NaN when none has.</summary>
    public static double Gap(IEnumerable<NextPeriodComparison> comparisons, Func<NextPeriodComparison, double?> estimate, Func<NextPeriodComparison, double?> truth)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var pairs = comparisons.Select(c => (E: estimate(c), T: truth(c))).Where(p => p.E is not null && p.T is not null).ToList();
        var truths = pairs.Sum(p => p.T!.Value);
        return pairs.Count == 0 || truths == 0 ? double.NaN : (pairs.Sum(p => p.E!.Value) - truths) / truths;
    }
}

/// <summary>One estimate against the next period over seeds: the mean estimate and truth per seed's retrains, and the relative gap.</summary>
public sealed record NextPeriodFigure(SeedInterval Estimate, SeedInterval Truth, SeedInterval Gap, int Retrains);

/// <summary>The next-period check of one policy over seeds (null figures: no seed had both sides, e.g. explore=0's truth over HTTP).</summary>
/// <param name="AtRate">The served rate, at the retrains whose estimates read lists a click model ranked (its policy).</param>
/// <param name="AtRateEveryRetrain">The same at every retrain, also the one after the period no click model served yet.</param>
public sealed record NextPeriodSummary(NextPeriodFigure? AtRate, NextPeriodFigure? AtZero, NextPeriodFigure? Gate, NextPeriodFigure? AtRateEveryRetrain)
{
    public static NextPeriodSummary Of(IReadOnlyList<ServingSimulationRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return new NextPeriodSummary(
            Figure(runs, c => c.LoggedByClickModel ? c.EstimateAtRate : null, c => c.TruthAtRate),
            Figure(runs, c => c.LoggedByClickModel ? c.EstimateAtZero : null, c => c.TruthAtZero),
            Figure(runs, c => c.GateEstimate, c => c.TruthAtZero),
            Figure(runs, c => c.EstimateAtRate, c => c.TruthAtRate));
    }

    private static NextPeriodFigure? Figure(IReadOnlyList<ServingSimulationRun> runs, Func<NextPeriodComparison, double?> estimate, Func<NextPeriodComparison, double?> truth)
    {
        var perSeed = runs
            .Select(r => r.NextPeriod.Where(c => estimate(c) is not null && truth(c) is not null).ToList())
            .Where(c => c.Count > 0)
            .ToList();
        return perSeed.Count == 0 ? null : new NextPeriodFigure(
            SeedInterval.Of([.. perSeed.Select(c => c.Average(x => estimate(x)!.Value))]),
            SeedInterval.Of([.. perSeed.Select(c => c.Average(x => truth(x)!.Value))]),
            SeedInterval.Of([.. perSeed.Select(c => NextPeriodCheck.Gap(c, estimate, truth))]),
            perSeed.Sum(c => c.Count));
    }
}
