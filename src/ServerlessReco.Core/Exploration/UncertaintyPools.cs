namespace ServerlessReco.Core.Exploration;

/// <summary>
/// One list's explore pools for <see cref="UncertaintyPolicy"/>: the members of each pool (candidates beyond the head),
/// each member's draw weight from its upper confidence bound, the two schedules of which pool the r-th explore draws from
/// (pools in turn, starting from the unknown one or from the model's), and the exact probability of each member on a
/// pool's first and second draw.
/// </summary>
internal sealed class UncertaintyPools
{
    private readonly UncertaintyPolicy _policy;
    private readonly List<int>[] _members;
    private readonly double[] _weights;
    private readonly double[] _totals;
    private readonly Dictionary<(int Group, int Draw), double[]> _laterDraws = [];

    private UncertaintyPools(UncertaintyPolicy policy, List<int>[] members, double[] weights, (int, int)[] unknownFirst, (int, int)[] knownFirst)
    {
        (_policy, _members, _weights, UnknownFirst, KnownFirst) = (policy, members, weights, unknownFirst, knownFirst);
        _totals = [.. members.Select(m => m.Sum(i => weights[i]))];
    }

    /// <summary>
    /// The schedule when the list's first explore goes to the unknown pool (probability <see cref="UncertaintyPolicy.UnknownShare"/>):
    /// for the r-th explore slot (index r − 1), its pool and which draw from that pool it is (1-based).
    /// </summary>
    public (int Group, int Draw)[] UnknownFirst { get; }

    /// <summary>The schedule when the first explore goes to the model's pool.</summary>
    public (int Group, int Draw)[] KnownFirst { get; }

    /// <summary>
    /// The probability that the <paramref name="nth"/> explore slot (1-based) draws candidate <paramref name="item"/>
    /// (of pool <paramref name="group"/>): over both schedules, each as likely as the share says.
    /// </summary>
    public double DrawProbability(int nth, int group, int item)
    {
        var share = _policy.UnknownShare;
        var (g1, d1) = UnknownFirst[nth - 1];
        var (g2, d2) = KnownFirst[nth - 1];
        return (g1 == group ? share * Probability(group, d1, item) : 0) + (g2 == group ? (1 - share) * Probability(group, d2, item) : 0);
    }

    /// <summary>
    /// The terms of <see cref="DrawProbability"/> that are Monte Carlo estimates (a pool's third or later draw): which
    /// draw of <paramref name="group"/> and the share of the schedule it stands for.
    /// </summary>
    public IEnumerable<(int Draw, double Share)> EstimatedDraws(int nth, int group)
    {
        var share = _policy.UnknownShare;
        var (g1, d1) = UnknownFirst[nth - 1];
        var (g2, d2) = KnownFirst[nth - 1];
        if (g1 == group && d1 > 2)
        {
            yield return (d1, share);
        }

        if (g2 == group && d2 > 2)
        {
            yield return (d2, 1 - share);
        }
    }

    /// <summary>The binomial variance q(1 − q) / runs of the estimated probability q that the <paramref name="draw"/>-th draw is <paramref name="item"/>; 0 for the exact first and second draws.</summary>
    public double EstimateVariance(int group, int draw, int item)
    {
        if (draw <= 2)
        {
            return 0;
        }

        var q = Probability(group, draw, item);
        return q * (1 - q) / _policy.MonteCarloSamples;
    }

    public IReadOnlyList<int> Members(int group) => _members[group];

    public static UncertaintyPools Of(UncertaintyPolicy policy, IReadOnlyList<Candidate> ranked, int head)
    {
        var members = new[] { new List<int>(), new List<int>() };
        for (var i = head; i < ranked.Count; i++)
        {
            members[ranked[i].Group == UncertaintyPolicy.UnknownGroup ? UncertaintyPolicy.UnknownGroup : UncertaintyPolicy.KnownGroup].Add(i);
        }

        var weights = Weights(policy, ranked, members);
        var cap = Math.Min(policy.Budget, ranked.Count - head);
        return new UncertaintyPools(policy, members, weights, Schedule(members, UncertaintyPolicy.UnknownGroup, cap), Schedule(members, UncertaintyPolicy.KnownGroup, cap));
    }

    /// <summary>The pools in turn from <paramref name="first"/> on, a pool that has run out skipped: (pool, its how-many-th draw) per explore slot.</summary>
    private static (int, int)[] Schedule(List<int>[] members, int first, int cap)
    {
        var left = members.Select(m => m.Count).ToArray();
        var taken = new int[members.Length];
        var draws = new List<(int, int)>(cap);
        for (var r = 0; draws.Count < cap; r++)
        {
            var group = (first + r) % members.Length;
            if (left[group] > 0)
            {
                left[group]--;
                draws.Add((group, ++taken[group]));
            }
        }

        return [.. draws];
    }

    /// <summary>A member of <paramref name="group"/> not yet <paramref name="drawn"/>, with probability ∝ its weight.</summary>
    public int Draw(int group, bool[] drawn, Random random)
    {
        var members = _members[group];
        var total = 0.0;
        foreach (var i in members)
        {
            total += drawn[i] ? 0 : _weights[i];
        }

        var u = random.NextDouble() * total;
        var chosen = -1;
        foreach (var i in members)
        {
            if (drawn[i])
            {
                continue;
            }

            chosen = i;   // the last remaining member takes any rounding remainder
            u -= _weights[i];
            if (u < 0)
            {
                break;
            }
        }

        return chosen;
    }

    /// <summary>The probability that the <paramref name="draw"/>-th draw of <paramref name="group"/> is candidate <paramref name="item"/>.</summary>
    public double Probability(int group, int draw, int item)
    {
        var total = _totals[group];
        if (total <= 0)
        {
            return 0;
        }

        if (draw == 1)
        {
            return _weights[item] / total;
        }

        if (!_laterDraws.TryGetValue((group, draw), out var byMember))
        {
            byMember = draw == 2 ? SecondDraw(group) : MonteCarlo(group, draw);
            _laterDraws[(group, draw)] = byMember;
        }

        var index = _members[group].IndexOf(item);
        return index < 0 ? 0 : byMember[index];
    }

    /// <summary>Σ over first draws i ≠ j of P(i) · w_j / (W − w_i): exact.</summary>
    private double[] SecondDraw(int group)
    {
        var members = _members[group];
        var total = _totals[group];
        var result = new double[members.Count];
        for (var a = 0; a < members.Count; a++)
        {
            var first = _weights[members[a]] / total;
            var rest = total - _weights[members[a]];
            if (rest <= 0)
            {
                continue;
            }

            for (var b = 0; b < members.Count; b++)
            {
                result[b] += b == a ? 0 : first * _weights[members[b]] / rest;
            }
        }

        return result;
    }

    /// <summary>A third or later draw: the share of <see cref="UncertaintyPolicy.MonteCarloSamples"/> seeded runs of the pool's draws.</summary>
    private double[] MonteCarlo(int group, int draw)
    {
        var members = _members[group];
        var hits = new double[members.Count];
        var random = new Random(12345);
        var drawn = new bool[_weights.Length];
        for (var s = 0; s < _policy.MonteCarloSamples; s++)
        {
            Array.Clear(drawn);
            var chosen = -1;
            for (var d = 0; d < draw; d++)
            {
                chosen = Draw(group, drawn, random);
                drawn[chosen] = true;
            }

            hits[members.IndexOf(chosen)]++;
        }

        // Every member can be the draw-th pick (its weight is positive and the pool holds that many), so none may log a
        // propensity of 0 were it served: a member no run drew counts half a run (a continuity correction), and the
        // estimates are renormalised so that the draw's probabilities still sum to one.
        var corrected = hits.Select(h => h > 0 || members.Count < draw ? h : 0.5).ToArray();
        var total = corrected.Sum();
        return [.. corrected.Select(h => total > 0 ? h / total : 0)];
    }

    /// <summary>
    /// Each pool member's draw weight (u / u_max)^sharpness, u the upper confidence bound of its click-rate posterior;
    /// the prior mean is the click model's prediction for the shopper where there is one (<see cref="Candidate.Predicted"/>),
    /// otherwise the candidates' click rate scaled by e^(0.5·z), z the member's standardised score in its pool.
    /// </summary>
    private static double[] Weights(UncertaintyPolicy policy, IReadOnlyList<Candidate> ranked, List<int>[] members)
    {
        long clicks = 0, impressions = 0;
        foreach (var c in ranked)
        {
            clicks += Math.Max(0, c.Clicks);
            impressions += Math.Max(0, c.Impressions);
        }

        var rate = (clicks + 1.0) / (impressions + policy.PriorStrength);
        var weights = new double[ranked.Count];
        foreach (var group in members)
        {
            if (group.Count == 0)
            {
                continue;
            }

            var mean = group.Average(i => ranked[i].Score);
            var spread = Math.Sqrt(group.Average(i => (ranked[i].Score - mean) * (ranked[i].Score - mean)));
            var best = 0.0;
            foreach (var i in group)
            {
                var z = spread > 0 ? Math.Clamp((ranked[i].Score - mean) / spread, -3, 3) : 0;
                weights[i] = UpperBound(policy, ranked[i], Math.Min(0.9, rate * Math.Exp(0.5 * z)));
                best = Math.Max(best, weights[i]);
            }

            foreach (var i in group)
            {
                weights[i] = best > 0 ? Math.Pow(weights[i] / best, policy.Sharpness) : 1;
            }
        }

        return weights;
    }

    /// <summary>
    /// A new item's optimistic clicks count as clicks without impressions. A member the click model predicted starts from
    /// that prediction, worth <see cref="UncertaintyPolicy.PriorStrength"/> impressions plus the model's showings of the
    /// item beyond those the posterior counts itself (the recent ones, which the model learnt from too), at most
    /// <see cref="UncertaintyPolicy.MaxPredictionStrength"/>: an item the model has seen shown often is as sure as its
    /// prediction and is not explored again and again, one it has rarely seen stays wide and is drawn.
    /// </summary>
    private static double UpperBound(UncertaintyPolicy policy, Candidate c, double scoredMean)
    {
        var boost = c.IsNew ? policy.NewItemBoost : 0;
        var impressions = Math.Max(0, c.Impressions);
        var (mean, strength) = double.IsNaN(c.Predicted)
            ? (scoredMean, policy.PriorStrength)
            : (Math.Clamp(c.Predicted, 1e-4, 0.9), policy.PriorStrength + Math.Clamp(c.Showings - impressions, 0, policy.MaxPredictionStrength));
        return ClickRatePosterior.UpperBound(Math.Max(0, c.Clicks) + boost, impressions + boost, mean, strength, policy.Confidence);
    }
}
