namespace ServerlessReco.Core.Exploration;

/// <summary>The estimated click-through rate per served slot of epsilon-greedy at one exploration rate.</summary>
public sealed record RateEstimate(double Explore, OffPolicyEstimate Ips, OffPolicyEstimate SelfNormalisedIps);

/// <summary>
/// Off-policy evaluation of other exploration rates from the logged lists, before any of them goes live. Each logged
/// slot carries its logging propensity and the shape of what the policy saw (rank, list length, pool size, new items
/// in the pool); an epsilon-greedy policy's propensities depend on nothing else (head items by rank, pool items only by
/// being new or not), so the target's propensity of each logged slot is recomputed exactly from that shape
/// (<see cref="EpsilonGreedyPolicy.Propensity"/>), times the slot's inclusion probability (the long-tail sample is drawn the same way under
/// every rate). Fixed slots (new arrivals) weigh 1 under every rate.
/// Estimates are IPS and self-normalised IPS. Doubly robust would need the reward model's prediction for every
/// candidate the target might show, and the candidate lists are not logged (40+ items per list would multiply the
/// log's size); so it is offered only where candidates are known (the simulator).
/// </summary>
public static class ExplorationRateEvaluation
{
    public static IReadOnlyList<RateEstimate> Evaluate(IReadOnlyList<AttributedImpression> slots, IEnumerable<double> rates, int budget, double newItemBoost)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(rates);
        var result = new List<RateEstimate>();
        foreach (var rate in rates)
        {
            var policy = new EpsilonGreedyPolicy(rate, budget, newItemBoost);
            var decisions = new List<LoggedDecision>(slots.Count);
            var targets = new Dictionary<string, double>[slots.Count];
            for (var i = 0; i < slots.Count; i++)
            {
                var s = slots[i].Impression;
                // Explore 0 shows no new-arrival slot: its value is estimated over the slots the policy decided.
                if (s.IsFixed && rate <= 0)
                {
                    continue;
                }

                decisions.Add(new LoggedDecision(Key(i), s.ItemId, s.Position, s.Propensity, slots[i].ClickReward));
                targets[i] = new Dictionary<string, double>(StringComparer.Ordinal) { [s.ItemId] = TargetPropensity(policy, s, budget) };
            }

            TargetPolicy target = (context, _) => targets[int.Parse(context, System.Globalization.CultureInfo.InvariantCulture)];
            result.Add(new RateEstimate(rate, OffPolicyEstimators.Ips(decisions, target), OffPolicyEstimators.SelfNormalisedIps(decisions, target)));
        }

        return result;
    }

    /// <summary>
    /// The probability that the logging policy at the target's rate puts the logged slot's item at its position. For
    /// epsilon-greedy it is recomputed from the list's shape. For <see cref="UncertaintyPolicy"/> a head item's is the
    /// schedule's (rate, budget, pool); an explore slot's is the logged one with the chance that an explore slot falls
    /// at that position swapped for the target's (which item the pools draw does not depend on the rate, so it cancels:
    /// exact for budgets up to 2 with the pools sharing the first explore evenly, the serving defaults).
    /// </summary>
    public static double TargetPropensity(EpsilonGreedyPolicy policy, LoggedImpression slot, int budget)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.IsFixed)
        {
            return 1;
        }

        if (!slot.Policy.StartsWith(ExplorationPolicies.Uncertainty, StringComparison.Ordinal))
        {
            return TargetPropensity(policy, slot);
        }

        if (slot.Kind != Events.SlotKind.Explore)
        {
            return slot.Rank < slot.Head ? UncertaintyPolicy.ExploitAt(policy.Explore, budget, slot.Pool, slot.Position, slot.Rank) : 0;
        }

        var logged = UncertaintyPolicy.AnyExploreAt(slot.Explore, budget, slot.Position, slot.Pool);
        return logged <= 0 ? 0 : slot.Propensity * UncertaintyPolicy.AnyExploreAt(policy.Explore, budget, slot.Position, slot.Pool) / logged;
    }

    /// <summary>The probability that epsilon-greedy <paramref name="policy"/> puts the logged slot's item at its position.</summary>
    public static double TargetPropensity(EpsilonGreedyPolicy policy, LoggedImpression slot) =>
        slot.IsFixed ? 1 : slot.Inclusion * policy.Propensity(slot.Head, slot.PoolNew, slot.Pool - slot.PoolNew, slot.Position, slot.Rank, slot.IsNew);

    private static string Key(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
