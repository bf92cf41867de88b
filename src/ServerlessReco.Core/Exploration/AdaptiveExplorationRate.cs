namespace ServerlessReco.Core.Exploration;

/// <summary>
/// The exploration rate that adapts to what it earns. At each retrain the current rate, its neighbours (one
/// <see cref="AdaptiveRateOptions.Step"/> down and up, within the bounds) and explore=0 are valued off-policy on the slots
/// logged since the rate was last chosen, with their logged propensities
/// (<see cref="ExplorationRateEvaluation.TargetPropensity(EpsilonGreedyPolicy, LoggedImpression, int)"/>: exact for the
/// uncertainty and epsilon-greedy policies, the only ones it adapts), by self-normalised IPS, each against the current
/// rate on the same slots (a paired difference with its standard error).
/// <list type="bullet">
/// <item><b>Up</b> when the higher neighbour earns more clicks on the next list than the current rate, the whole 95%
/// interval of the difference above 0: exploring more pays even before anything learns from it.</item>
/// <item><b>Down</b> only when the current rate costs more than <see cref="AdaptiveRateOptions.Cost"/> of explore=0's
/// clicks (the whole interval of value − (1 − cost) × explore=0's below 0) and the lower neighbour earns more (its
/// interval above 0). An estimate of the next list sees what an explore slot costs now, never what it teaches the next
/// model, so it always leans towards exploiting: the allowance is the price paid for learning, and it is what stops
/// the rate sliding to the minimum in a shop where exploring pays only later.</item>
/// <item>Otherwise, and with fewer than <see cref="AdaptiveRateOptions.MinimumSlots"/> slots, the rate <b>stays</b>.
/// Never outside [<see cref="AdaptiveRateOptions.Minimum"/>, <see cref="AdaptiveRateOptions.Maximum"/>]; the minimum is
/// above 0, so every list keeps the new-arrival slot that shows each new item on its first day.</item>
/// </list>
/// </summary>
public static class AdaptiveExplorationRate
{
    private static readonly System.Globalization.CultureInfo C = System.Globalization.CultureInfo.InvariantCulture;

    /// <param name="slots">The window's logged slots with their rewards.</param>
    /// <param name="current">The rate serving used since <paramref name="since"/>.</param>
    /// <param name="budget">The serving policy's explore slots per list, which the valued policies keep.</param>
    /// <param name="newItemBoost">The serving policy's new-item boost, which the valued policies keep.</param>
    public static ExplorationRateChoice Choose(
        IReadOnlyList<AttributedImpression> slots, double current, AdaptiveRateOptions options, int budget, double newItemBoost, DateTimeOffset? since = null)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(options);
        var rate = Clamp(current, options);
        var decided = slots.Where(s => !s.Impression.IsFixed && (since is null || s.Impression.Timestamp >= since) && IsAdapted(s.Impression.Policy)).ToList();
        var choice = new ExplorationRateChoice(rate, current, string.Empty, decided.Count)
        {
            Since = since, Minimum = options.Minimum, Maximum = options.Maximum, Cost = options.Cost,
        };
        if (decided.Count < options.MinimumSlots)
        {
            return choice with { Reason = string.Create(C, $"{decided.Count} logged slots since the rate was chosen, at least {options.MinimumSlots} needed: the rate stays {rate:0.00}") };
        }

        var baseline = Value(decided, rate, budget, newItemBoost);
        var down = Compare(Value(decided, Clamp(rate / AdaptiveRateOptions.Step, options), budget, newItemBoost), baseline);
        var here = Compare(baseline, baseline);
        var up = Compare(Value(decided, Clamp(rate * AdaptiveRateOptions.Step, options), budget, newItemBoost), baseline);
        var zero = Value(decided, 0, budget, newItemBoost);
        var exploitation = Compare(zero, baseline);
        var evidence = new[] { down, here, up }.DistinctBy(e => e.Explore).ToList();

        // The current rate's cost against explore=0 beyond the allowance: value(r) − (1 − cost) × value(0), paired.
        var (overAllowance, overAllowanceError) = Difference(baseline, zero, 1 - options.Cost);
        var costShare = zero.Snips <= 0 ? 0 : 1 - (baseline.Snips / zero.Snips);
        var z = AdaptiveRateOptions.StandardErrors;
        string reason;
        if (up.Explore > rate && up.Gain - (z * up.GainStandardError) > 0)
        {
            reason = string.Create(C, $"{up.Explore:0.00} earns {up.Gain:+0.0000;-0.0000} ± {z * up.GainStandardError:0.0000} clicks per slot over {rate:0.00}: the rate goes up");
            return choice with { Rate = up.Explore, Reason = reason, Exploitation = exploitation, Evidence = evidence };
        }

        if (down.Explore < rate && overAllowance + (z * overAllowanceError) < 0 && down.Gain - (z * down.GainStandardError) > 0)
        {
            reason = string.Create(C, $"{rate:0.00} costs {costShare:P1} of explore=0's clicks, more than the {options.Cost:P0} allowed, and {down.Explore:0.00} earns {down.Gain:+0.0000;-0.0000} ± {z * down.GainStandardError:0.0000} per slot more: the rate goes down");
            return choice with { Rate = down.Explore, Reason = reason, Exploitation = exploitation, Evidence = evidence };
        }

        var bound = rate >= options.Maximum ? " (the maximum)" : rate <= options.Minimum ? " (the minimum)" : string.Empty;
        reason = string.Create(
            C, $"{rate:0.00}{bound} stays: no higher rate earns more beyond noise, and its cost, {costShare:P1} of explore=0's clicks on the next list, is not beyond noise above the {options.Cost:P0} allowed");
        return choice with { Reason = reason, Exploitation = exploitation, Evidence = evidence };
    }

    /// <summary>The policies whose propensities at another rate are recomputed exactly from the logged slot.</summary>
    public static bool IsAdapted(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.StartsWith(ExplorationPolicies.Uncertainty, StringComparison.Ordinal) || policy.StartsWith(ExplorationPolicies.EpsilonGreedy, StringComparison.Ordinal);
    }

    /// <summary>The rate within the bounds, to the 0.01 a served list logs its rate to.</summary>
    public static double Clamp(double rate, AdaptiveRateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Round(Math.Clamp(rate, options.Minimum, options.Maximum), 2);
    }

    /// <summary>Self-normalised IPS of the rate on the slots (target propensity / logged propensity as weights), with each slot's influence term.</summary>
    private static Valued Value(List<AttributedImpression> slots, double rate, int budget, double newItemBoost)
    {
        var policy = new EpsilonGreedyPolicy(rate, budget, newItemBoost);
        var n = slots.Count;
        var weights = new double[n];
        double sumWeights = 0, sumWeighted = 0, sumSquares = 0;
        for (var i = 0; i < n; i++)
        {
            var slot = slots[i].Impression;
            weights[i] = slot.Propensity <= 0 ? 0 : ExplorationRateEvaluation.TargetPropensity(policy, slot, budget) / slot.Propensity;
            sumWeights += weights[i];
            sumWeighted += weights[i] * slots[i].ClickReward;
            sumSquares += weights[i] * weights[i];
        }

        var snips = sumWeights == 0 ? 0 : sumWeighted / sumWeights;
        var meanWeight = sumWeights / n;
        var influence = new double[n];
        for (var i = 0; i < n; i++)
        {
            // The delta method's term of SNIPS: w_i (y_i − V) / w̄.
            influence[i] = meanWeight == 0 ? 0 : weights[i] * (slots[i].ClickReward - snips) / meanWeight;
        }

        return new Valued(rate, snips, sumWeighted / n, influence, sumSquares == 0 ? 0 : sumWeights * sumWeights / sumSquares);
    }

    /// <summary><paramref name="target"/>'s value and its difference from <paramref name="baseline"/> on the same slots, with that difference's standard error.</summary>
    private static RateEvidence Compare(Valued target, Valued baseline)
    {
        var (gain, error) = Difference(target, baseline, 1);
        return new RateEvidence(target.Rate, Math.Round(target.Snips, 6), Math.Round(target.Ips, 6), Math.Round(gain, 6), Math.Round(error, 6), Math.Round(target.EffectiveSampleSize, 1));
    }

    /// <summary>a − factor × b and its standard error, from the paired influence terms of the two estimates on the same slots.</summary>
    private static (double Value, double StandardError) Difference(Valued a, Valued b, double factor)
    {
        var n = a.Influence.Length;
        double mean = 0;
        for (var i = 0; i < n; i++)
        {
            mean += a.Influence[i] - (factor * b.Influence[i]);
        }

        mean /= n;
        double squares = 0;
        for (var i = 0; i < n; i++)
        {
            var d = a.Influence[i] - (factor * b.Influence[i]) - mean;
            squares += d * d;
        }

        var variance = n < 2 ? 0 : squares / (n - 1);
        return (a.Snips - (factor * b.Snips), Math.Sqrt(variance / n));
    }

    /// <summary>One rate valued on the slots: SNIPS, plain IPS, the influence terms and the effective sample size.</summary>
    private sealed record Valued(double Rate, double Snips, double Ips, double[] Influence, double EffectiveSampleSize);
}
