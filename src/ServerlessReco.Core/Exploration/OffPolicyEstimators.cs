namespace ServerlessReco.Core.Exploration;

/// <summary>One logged decision: in <paramref name="Context"/> the logging policy showed <paramref name="ItemId"/>
/// at <paramref name="Position"/> with probability <paramref name="Propensity"/>, and earned <paramref name="Reward"/>.</summary>
public sealed record LoggedDecision(string Context, string ItemId, int Position, double Propensity, double Reward);

/// <summary>The target policy: for a context and position, the probability of each item it would serve there.</summary>
public delegate IReadOnlyDictionary<string, double> TargetPolicy(string context, int position);

/// <summary>An estimate of the target policy's expected reward per decision (per served slot).</summary>
/// <param name="StandardError">Of the per-decision terms (IPS, DR) or by the delta method (SNIPS).</param>
/// <param name="EffectiveSampleSize">(Σw)² / Σw² of the importance weights w = π/μ.</param>
public readonly record struct OffPolicyEstimate(double Value, double StandardError, int Count, double EffectiveSampleSize);

/// <summary>A reward model for doubly robust estimation.</summary>
public interface IRewardModel
{
    double Predict(string context, string itemId, int position);
}

/// <summary>
/// The logged mean reward of each (item, position), shrunk towards the item's mean and that towards the global
/// mean with <see cref="Shrinkage"/> pseudo-observations. Context-free: a simple baseline for doubly robust.
/// </summary>
public sealed class MeanRewardModel : IRewardModel
{
    private readonly Dictionary<(string, int), (double Sum, int Count)> _byPosition = new();
    private readonly Dictionary<string, (double Sum, int Count)> _byItem = new();
    private readonly double _global;

    private MeanRewardModel(IEnumerable<LoggedDecision> logs, double shrinkage)
    {
        Shrinkage = shrinkage;
        double sum = 0;
        var count = 0;
        foreach (var d in logs)
        {
            var p = _byPosition.GetValueOrDefault((d.ItemId, d.Position));
            _byPosition[(d.ItemId, d.Position)] = (p.Sum + d.Reward, p.Count + 1);
            var i = _byItem.GetValueOrDefault(d.ItemId);
            _byItem[d.ItemId] = (i.Sum + d.Reward, i.Count + 1);
            sum += d.Reward;
            count++;
        }
        _global = count == 0 ? 0 : sum / count;
    }

    public double Shrinkage { get; }

    public static MeanRewardModel Fit(IEnumerable<LoggedDecision> logs, double shrinkage = 5) => new(logs, shrinkage);

    public double Predict(string context, string itemId, int position)
    {
        var i = _byItem.GetValueOrDefault(itemId);
        var item = (i.Sum + Shrinkage * _global) / (i.Count + Shrinkage);
        var p = _byPosition.GetValueOrDefault((itemId, position));
        return (p.Sum + Shrinkage * item) / (p.Count + Shrinkage);
    }
}

/// <summary>
/// Off-policy estimators of a target policy's value from decisions logged by another (randomised) policy.
/// Each decision is one served slot; the value is the expected reward per slot (× slots per list for a list).
/// </summary>
public static class OffPolicyEstimators
{
    /// <summary>Inverse propensity scoring: mean of w·r, w = π(item | context, position) / logged propensity. Unbiased
    /// when the logging propensities are exact and positive wherever the target policy puts mass.</summary>
    public static OffPolicyEstimate Ips(IReadOnlyList<LoggedDecision> logs, TargetPolicy target)
    {
        var weights = Weights(logs, target);
        var terms = new double[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            terms[i] = weights[i] * logs[i].Reward;
        }

        return MeanEstimate(terms, weights);
    }

    /// <summary>Self-normalised IPS: Σ w·r / Σ w. Slightly biased, bounded by the rewards, lower variance.</summary>
    public static OffPolicyEstimate SelfNormalisedIps(IReadOnlyList<LoggedDecision> logs, TargetPolicy target)
    {
        var weights = Weights(logs, target);
        double sumW = 0, sumWr = 0;
        for (var i = 0; i < logs.Count; i++)
        {
            sumW += weights[i];
            sumWr += weights[i] * logs[i].Reward;
        }
        var value = sumW == 0 ? 0 : sumWr / sumW;
        // Delta method: Var ≈ Σ w²(r − v)² / (Σw)².
        double sq = 0;
        for (var i = 0; i < logs.Count; i++)
        {
            sq += Math.Pow(weights[i] * (logs[i].Reward - value), 2);
        }

        var se = sumW == 0 ? 0 : Math.Sqrt(sq) / sumW;
        return new OffPolicyEstimate(value, se, logs.Count, EffectiveSampleSize(weights));
    }

    /// <summary>Doubly robust: Σ_a π(a)·r̂(a) + w·(r − r̂(shown)), averaged. Unbiased if either the propensities or
    /// the reward model are right; lower variance than IPS when the model is close.</summary>
    public static OffPolicyEstimate DoublyRobust(IReadOnlyList<LoggedDecision> logs, TargetPolicy target, IRewardModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = Weights(logs, target);
        var terms = new double[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            var d = logs[i];
            double direct = 0;
            foreach (var (item, probability) in target(d.Context, d.Position))
            {
                direct += probability * model.Predict(d.Context, item, d.Position);
            }

            terms[i] = direct + weights[i] * (d.Reward - model.Predict(d.Context, d.ItemId, d.Position));
        }
        return MeanEstimate(terms, weights);
    }

    private static double[] Weights(IReadOnlyList<LoggedDecision> logs, TargetPolicy target)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(target);
        var weights = new double[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            var d = logs[i];
            if (!(d.Propensity > 0 && d.Propensity <= 1))
            {
                throw new ArgumentException($"Decision {i} has propensity {d.Propensity}; it must be in (0, 1].", nameof(logs));
            }

            weights[i] = target(d.Context, d.Position).GetValueOrDefault(d.ItemId) / d.Propensity;
        }
        return weights;
    }

    private static OffPolicyEstimate MeanEstimate(double[] terms, double[] weights)
    {
        if (terms.Length == 0)
        {
            return new OffPolicyEstimate(0, 0, 0, 0);
        }

        var mean = terms.Average();
        var variance = terms.Length > 1 ? terms.Sum(t => (t - mean) * (t - mean)) / (terms.Length - 1) : 0;
        return new OffPolicyEstimate(mean, Math.Sqrt(variance / terms.Length), terms.Length, EffectiveSampleSize(weights));
    }

    private static double EffectiveSampleSize(double[] weights)
    {
        double sum = 0, sumSq = 0;
        foreach (var w in weights)
        {
            sum += w;
            sumSq += w * w;
        }
        return sumSq == 0 ? 0 : sum * sum / sumSq;
    }
}
