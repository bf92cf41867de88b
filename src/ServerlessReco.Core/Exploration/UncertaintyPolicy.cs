using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// Exploration driven by what there is to learn, over the whole catalogue. The first K = min(count, candidates)
/// candidates are the model's list ("head"); the rest form two pools (<see cref="Candidate.Group"/>): the model's next
/// best and long-tail sample (<see cref="KnownGroup"/>), and catalogue items the model does not know, scored by content
/// (<see cref="UnknownGroup"/>). Slot by slot, while fewer than <see cref="Budget"/> explore slots were used, a slot is
/// an explore slot with probability <see cref="Explore"/>, otherwise the next head item; the explore slots draw from
/// the pools in turn, the first from the unknown pool with probability <see cref="UnknownShare"/> and from the model's
/// otherwise (a pool that has run out is skipped).
/// Within a pool an item is drawn with probability ∝ (u / u_max)^<see cref="Sharpness"/>, u its upper confidence bound
/// on its click rate: a Beta posterior whose prior mean is the click model's prediction for this shopper where the
/// click model re-ranked the item (<see cref="Candidate.Predicted"/>, worth more impressions the more showings of the
/// item the model learnt from, <see cref="Candidate.Showings"/>), otherwise the candidates' click rate scaled by how the
/// item's score stands in its pool (e^(0.5·z), z its standardised score: the model's score, or for unknown items the content
/// match to the shopper plus the content prior), worth <see cref="PriorStrength"/> impressions, updated by its clicks
/// and impressions in the served-list log (a new item also gets <see cref="NewItemBoost"/> optimistic clicks). Items
/// never shown carry the widest posteriors, so they are drawn first; an item shown often without clicks fades.
/// Randomised rather than argmax so that every slot has a propensity above 0 for the items the policy could show, and
/// the propensities are exact: the slot kinds follow epsilon-greedy's schedule (a dynamic programme over explores so
/// far), the first and second draw of a pool have closed forms; only a third draw from one pool (budgets above twice
/// the pools) is estimated by Monte Carlo, <see cref="MonteCarloSamples"/> runs (standard error ≤ 0.5/√runs); such a
/// slot logs the standard error of its propensity (<see cref="ExploredSlot.PropensityStandardError"/>), every other 0.
/// Explore = 0 is the model's order.
/// </summary>
public sealed class UncertaintyPolicy : IExplorationPolicy
{
    public const int KnownGroup = 0;
    public const int UnknownGroup = 1;

    public UncertaintyPolicy(double explore, int budget = 2, double newItemBoost = 1, double unknownShare = 0.5, double priorStrength = 20,
        double confidence = 2, double sharpness = 8, int monteCarloSamples = 2000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unknownShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unknownShare, 1.0);
        UnknownShare = unknownShare;
        ArgumentOutOfRangeException.ThrowIfLessThan(explore, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(explore, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(newItemBoost);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priorStrength);
        ArgumentOutOfRangeException.ThrowIfNegative(confidence);
        ArgumentOutOfRangeException.ThrowIfNegative(sharpness);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(monteCarloSamples);
        (Explore, Budget, NewItemBoost, PriorStrength, Confidence, Sharpness, MonteCarloSamples) =
            (explore, budget, newItemBoost, priorStrength, confidence, sharpness, monteCarloSamples);
    }

    public double Explore { get; }
    public int Budget { get; }
    public double NewItemBoost { get; }

    /// <summary>The probability that a list's first explore slot draws from the unknown pool (then the pools alternate).</summary>
    public double UnknownShare { get; }

    /// <summary>How many impressions the prior is worth.</summary>
    public double PriorStrength { get; }

    /// <summary>The most impressions the click model's showings of an item add to the strength of its prediction as a prior.</summary>
    public double MaxPredictionStrength { get; } = 500;

    /// <summary>Standard deviations above the posterior mean in the upper confidence bound.</summary>
    public double Confidence { get; }

    /// <summary>The exponent of the draw weights: 0 draws uniformly, larger concentrates on the most promising.</summary>
    public double Sharpness { get; }

    public int MonteCarloSamples { get; }

    public string Name => $"uncertainty({Explore:0.###})";

    public IReadOnlyList<ExploredSlot> Select(IReadOnlyList<Candidate> ranked, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(random);
        var k = Math.Clamp(count, 0, ranked.Count);
        var pools = UncertaintyPools.Of(this, ranked, k);
        var result = new List<ExploredSlot>(k);
        var drawn = new bool[ranked.Count];
        int exploited = 0, explored = 0;
        var schedule = random.NextDouble() < UnknownShare ? pools.UnknownFirst : pools.KnownFirst;
        for (var p = 0; p < k; p++)
        {
            if (CanExplore(explored, ranked.Count - k) && random.NextDouble() < Explore)
            {
                var (group, _) = schedule[explored];
                var chosen = pools.Draw(group, drawn, random);
                drawn[chosen] = true;
                explored++;
                var propensity = ExploreAt(pools, p, ranked.Count - k, group, chosen);
                var error = ExploreStandardError(pools, p, ranked.Count - k, group, chosen);
                result.Add(new ExploredSlot(ranked[chosen].ItemId, p, SlotKind.Explore, propensity, error));
            }
            else
            {
                var rank = exploited++;
                result.Add(new ExploredSlot(ranked[rank].ItemId, p, SlotKind.Exploit, ExploitAt(k, ranked.Count - k, p, rank)));
            }
        }

        return result;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, double>> Distribution(IReadOnlyList<Candidate> ranked, int count)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var k = Math.Clamp(count, 0, ranked.Count);
        var pool = ranked.Count - k;
        var pools = UncertaintyPools.Of(this, ranked, k);
        var result = new List<IReadOnlyDictionary<string, double>>(k);
        for (var p = 0; p < k; p++)
        {
            var slot = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var rank = 0; rank <= p && rank < k; rank++)
            {
                var exploit = ExploitAt(k, pool, p, rank);
                if (exploit > 0)
                {
                    slot[ranked[rank].ItemId] = exploit;
                }
            }

            foreach (var group in new[] { UnknownGroup, KnownGroup })
            {
                foreach (var i in pools.Members(group))
                {
                    var mass = ExploreAt(pools, p, pool, group, i);
                    if (mass > 0)
                    {
                        slot[ranked[i].ItemId] = mass;
                    }
                }
            }

            result.Add(slot);
        }

        return result;
    }

    /// <summary>The probability that head rank <paramref name="rank"/> is served at <paramref name="position"/> (the epsilon-greedy schedule).</summary>
    public double ExploitAt(int head, int pool, int position, int rank) =>
        rank < head ? ExploitAt(Explore, Budget, pool, position, rank) : 0;

    /// <inheritdoc cref="ExploitAt(int, int, int, int)"/>
    public static double ExploitAt(double explore, int budget, int pool, int position, int rank)
    {
        var cap = Math.Min(budget, pool);
        var explores = position - rank;
        if (explore <= 0 || cap == 0)
        {
            return explores == 0 ? 1 : 0;
        }

        if (explores < 0 || explores > cap)
        {
            return 0;
        }

        if (explores < cap)
        {
            // That many explores before, none of them the last the budget allows, then an exploit by choice.
            return Binomial(position, explores) * Math.Pow(explore, explores) * Math.Pow(1 - explore, position - explores) * (1 - explore);
        }

        // The budget ran out at some earlier position q; from then on every slot exploits.
        var sum = 0.0;
        for (var q = cap - 1; q < position; q++)
        {
            sum += NthExploreAt(explore, budget, cap, q, pool);
        }

        return sum;
    }

    /// <summary>
    /// The probability that the <paramref name="nth"/> explore slot (1-based) of a list falls at <paramref name="position"/>:
    /// nth − 1 explores among the earlier positions, then an explore, while the budget and the pool allow.
    /// </summary>
    public double NthExploreAt(int nth, int position, int pool) => NthExploreAt(Explore, Budget, nth, position, pool);

    /// <inheritdoc cref="NthExploreAt(int, int, int)"/>
    public static double NthExploreAt(double explore, int budget, int nth, int position, int pool)
    {
        if (nth < 1 || nth > Math.Min(budget, pool) || nth > position + 1 || explore <= 0)
        {
            return 0;
        }

        // Before the nth explore every slot could explore (fewer than nth − 1 ≤ budget explores so far).
        return Binomial(position, nth - 1) * Math.Pow(explore, nth) * Math.Pow(1 - explore, position - (nth - 1));
    }

    /// <summary>
    /// The probability that pool candidate <paramref name="item"/> is served at <paramref name="position"/>: over every
    /// explore slot it could be (the r-th explore at that position, times its chance on that draw).
    /// </summary>
    private double ExploreAt(UncertaintyPools pools, int position, int pool, int group, int item)
    {
        var sum = 0.0;
        for (var r = 1; r <= ExploresUpTo(position, pool); r++)
        {
            sum += NthExploreAt(r, position, pool) * pools.DrawProbability(r, group, item);
        }

        return sum;
    }

    /// <summary>
    /// The standard error of <see cref="ExploreAt"/>: 0 unless a term is a Monte Carlo estimate (a pool's third or later
    /// draw). The exact factors scale each estimate; an estimate that several explore slots share (the same draw of a
    /// pool under both schedules) adds up its factors first, as its error is one; estimates of different draws come from
    /// separate runs and add as variances.
    /// </summary>
    private double ExploreStandardError(UncertaintyPools pools, int position, int pool, int group, int item)
    {
        // A pool's third draw needs a third explore slot at least: with the default budget of 2 every slot is exact,
        // and serving's hot path allocates nothing here.
        if (ExploresUpTo(position, pool) < 3)
        {
            return 0;
        }

        var factors = new Dictionary<int, double>();
        for (var r = 1; r <= ExploresUpTo(position, pool); r++)
        {
            foreach (var (draw, share) in pools.EstimatedDraws(r, group))
            {
                factors[draw] = factors.GetValueOrDefault(draw) + (NthExploreAt(r, position, pool) * share);
            }
        }

        return Math.Sqrt(factors.Sum(f => f.Value * f.Value * pools.EstimateVariance(group, f.Key, item)));
    }

    /// <summary>How many explore slots a list can have used by <paramref name="position"/> (inclusive).</summary>
    private int ExploresUpTo(int position, int pool) => Math.Min(Budget, Math.Min(pool, position + 1));

    /// <summary>
    /// The probability that some explore slot falls at <paramref name="position"/> (Σ over r of <see cref="NthExploreAt(int, int, int)"/>).
    /// With a budget of at most 2 and an even <see cref="UnknownShare"/>, an explore slot's propensity is this times a
    /// factor that does not depend on the rate, so off-policy evaluation of other rates rescales by it exactly.
    /// </summary>
    public static double AnyExploreAt(double explore, int budget, int position, int pool)
    {
        var sum = 0.0;
        for (var r = 1; r <= Math.Min(budget, Math.Min(pool, position + 1)); r++)
        {
            sum += NthExploreAt(explore, budget, r, position, pool);
        }

        return sum;
    }

    private bool CanExplore(int explored, int pool) => Explore > 0 && explored < Budget && explored < pool;

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
