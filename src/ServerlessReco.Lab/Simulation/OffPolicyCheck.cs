using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// One target rate: what IPS and SNIPS estimate from the impressions serving logged, the target's true value on the same
/// requests (the counterfactual IPS estimates), and its value when it really ran the closed loop.
/// </summary>
public sealed record OffPolicyComparison(double Explore, RateEstimate Estimate, double Counterfactual, double? ClosedLoop)
{
    /// <summary>(IPS − counterfactual) / counterfactual.</summary>
    public double IpsGapToCounterfactual => Gap(Estimate.Ips.Value, Counterfactual);

    /// <summary>(IPS − closed loop) / closed loop, when the target was run.</summary>
    public double? IpsGapToClosedLoop => ClosedLoop is { } loop ? Gap(Estimate.Ips.Value, loop) : null;

    private static double Gap(double estimate, double truth) => truth == 0 ? double.PositiveInfinity : (estimate - truth) / truth;
}

/// <summary>
/// Off-policy evaluation checked against the simulator's truth. The estimates come from the store alone, as in
/// production (<see cref="ExplorationLog.ReadAsync"/> over the lists the service stored and the clicks that
/// cite them, <see cref="ExplorationRateEvaluation"/>); the counterfactual comes from the simulator, which knows every
/// candidate's true click probability: Σ over slots of Σ over items π_target(item at slot) × P(click), per served slot.
/// </summary>
public static class OffPolicyCheck
{
    public static async Task<IReadOnlyList<OffPolicyComparison>> CompareAsync(
        SimulationStores loggedBy, ServingSimulationRun run, IReadOnlyList<double> rates, ServingOptions serving, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(loggedBy);
        var log = await ExplorationLog.ReadAsync(
            loggedBy.ServedLists.ReadAsync(DateTimeOffset.MinValue, null, cancellationToken), loggedBy.Events.ReadAllAsync(null, null, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var estimates = ExplorationRateEvaluation.Evaluate(log.Slots, rates, serving.ExplorationBudget, serving.NewItemBoost);
        return estimates.Select(e => new OffPolicyComparison(
            e.Explore, e,
            Counterfactual(run.Lists, ExplorationPolicies.Create(serving.ToExplorationSettings(), e.Explore), newArrivals: e.Explore > 0),
            ClosedLoop: null)).ToList();
    }

    /// <summary>
    /// The expected clicks per served slot of <paramref name="target"/> (the serving policy at another rate) on exactly the
    /// logged requests; without <paramref name="newArrivals"/> (explore 0 shows none) per slot the policy decided.
    /// </summary>
    public static double Counterfactual(IReadOnlyList<SimulatedList> lists, IExplorationPolicy target, bool newArrivals = true)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(target);
        double value = 0;
        long slots = 0;
        foreach (var list in lists)
        {
            var distribution = target.Distribution(list.Candidates, list.PolicySlots);
            for (var slot = 0; slot < distribution.Count; slot++)
            {
                var position = distribution[slot];
                var discount = list.Discount(slot);
                for (var i = 0; i < list.Candidates.Count; i++)
                {
                    value += position.GetValueOrDefault(list.Candidates[i].ItemId) * list.CandidateProbabilities[i] * discount;
                }
            }

            value += newArrivals ? list.FixedSlotProbabilities.Sum() : 0;
            slots += newArrivals ? list.Slots : list.PolicySlots;
        }

        return slots == 0 ? 0 : value / slots;
    }
}
