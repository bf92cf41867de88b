using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// Epsilon-greedy over slots. The first K = min(count, candidates) candidates are the exploit list ("head"),
/// the rest the explore pool ("tail"). Slot by slot, while fewer than <see cref="Budget"/> explore slots have
/// been used and the pool is not empty, the slot is an explore slot with probability <see cref="Explore"/>:
/// an item drawn from the pool without replacement, a new item weighing 1 + <see cref="NewItemBoost"/> and any
/// other 1. Otherwise it is the next head item not yet served (head items keep their order).
/// Head and pool are disjoint, so the list never repeats an item, and because all new (and all old) pool items
/// weigh the same, the state after p slots is captured by (new explored, old explored): propensities are exact,
/// by dynamic programming over those counts in O(K³ + K·N).
/// </summary>
public sealed class EpsilonGreedyPolicy : IExplorationPolicy
{
    public EpsilonGreedyPolicy(double explore, int budget = int.MaxValue, double newItemBoost = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(explore, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(explore, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(newItemBoost);
        Explore = explore;
        Budget = budget;
        NewItemBoost = newItemBoost;
    }

    public double Explore { get; }
    public int Budget { get; }
    public double NewItemBoost { get; }
    public string Name => $"epsilon-greedy({Explore:0.###})";

    public IReadOnlyList<ExploredSlot> Select(IReadOnlyList<Candidate> ranked, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(random);
        var k = Math.Clamp(count, 0, ranked.Count);
        var result = new List<ExploredSlot>(k);
        var drawn = new bool[ranked.Count];
        int exploited = 0, newDrawn = 0, oldDrawn = 0;
        var (newCount, oldCount) = PoolCounts(ranked, k);
        var byShape = ShapePropensities(k, newCount, oldCount);
        var weightNew = 1 + NewItemBoost;
        for (var p = 0; p < k; p++)
        {
            var explored = newDrawn + oldDrawn;
            Candidate chosen;
            SlotKind kind;
            if (CanExplore(explored, ranked.Count - k) && random.NextDouble() < Explore)
            {
                var total = weightNew * (newCount - newDrawn) + (oldCount - oldDrawn);
                var u = random.NextDouble() * total;
                var index = -1;
                for (var i = k; i < ranked.Count; i++)
                {
                    if (drawn[i])
                    {
                        continue;
                    }

                    index = i;   // the last remaining item takes any rounding remainder
                    u -= ranked[i].IsNew ? weightNew : 1;
                    if (u < 0)
                    {
                        break;
                    }
                }
                drawn[index] = true;
                chosen = ranked[index];
                if (chosen.IsNew)
                {
                    newDrawn++;
                }
                else
                {
                    oldDrawn++;
                }

                kind = SlotKind.Explore;
            }
            else
            {
                chosen = ranked[exploited++];
                kind = SlotKind.Exploit;
            }
            var row = byShape[p];
            var propensity = kind == SlotKind.Exploit ? row[exploited - 1] : chosen.IsNew ? row[k] : row[k + 1];
            result.Add(new ExploredSlot(chosen.ItemId, p, kind, propensity));
        }
        return result;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, double>> Distribution(IReadOnlyList<Candidate> ranked, int count)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var k = Math.Clamp(count, 0, ranked.Count);
        var pool = ranked.Count - k;
        var (newCount, oldCount) = PoolCounts(ranked, k);
        var result = new List<IReadOnlyDictionary<string, double>>(k);
        // state[n, o]: probability that n new and o old pool items were drawn before the current slot.
        var state = new double[newCount + 1, oldCount + 1];
        state[0, 0] = 1;
        for (var p = 0; p < k; p++)
        {
            var next = new double[newCount + 1, oldCount + 1];
            var slot = new Dictionary<string, double>();
            double perNewItem = 0, perOldItem = 0;
            for (var n = 0; n <= Math.Min(newCount, p); n++)
            {
                for (var o = 0; o <= Math.Min(oldCount, p - n); o++)
                {
                    var mass = state[n, o];
                    if (mass == 0)
                    {
                        continue;
                    }

                    var exploreProbability = CanExplore(n + o, pool) ? Explore : 0;
                    var exploit = mass * (1 - exploreProbability);
                    if (exploit > 0)
                    {
                        var head = ranked[p - n - o].ItemId;
                        slot[head] = slot.GetValueOrDefault(head) + exploit;
                        next[n, o] += exploit;
                    }
                    if (exploreProbability == 0)
                    {
                        continue;
                    }

                    var explore = mass * exploreProbability;
                    var total = NewWeight * (newCount - n) + (oldCount - o);
                    // Given n of the new pool items were drawn, each new item is still in the pool with
                    // probability (newCount − n) / newCount (exchangeability); likewise for old items.
                    if (newCount > n)
                    {
                        perNewItem += explore * NewWeight / total * (newCount - n) / newCount;
                        next[n + 1, o] += explore * NewWeight * (newCount - n) / total;
                    }
                    if (oldCount > o)
                    {
                        perOldItem += explore / total * (oldCount - o) / oldCount;
                        next[n, o + 1] += explore * (oldCount - o) / total;
                    }
                }
            }
            SpreadOverPool(slot, ranked, k, perNewItem, perOldItem);
            result.Add(slot);
            state = next;
        }
        return result;
    }

    /// <summary>How much more likely a new pool item is drawn than an old one.</summary>
    private double NewWeight => 1 + NewItemBoost;

    /// <summary>Every pool item gets its share of the slot's explore mass: new and old items are each exchangeable.</summary>
    private static void SpreadOverPool(Dictionary<string, double> slot, IReadOnlyList<Candidate> ranked, int k, double perNewItem, double perOldItem)
    {
        for (var i = k; i < ranked.Count; i++)
        {
            var probability = ranked[i].IsNew ? perNewItem : perOldItem;
            if (probability > 0)
            {
                slot[ranked[i].ItemId] = probability;
            }
        }
    }

    /// <summary>
    /// The probability of serving, at <paramref name="position"/>, the candidate of rank <paramref name="rank"/> in a
    /// ranked list of <paramref name="head"/> + pool candidates (<paramref name="poolNew"/> new, <paramref name="poolOld"/>
    /// not): all the distribution depends on, so off-policy evaluation needs no candidate ids. Pool items are
    /// exchangeable within new and old, so a pool item's rank matters only through <paramref name="isNew"/>.
    /// </summary>
    public double Propensity(int head, int poolNew, int poolOld, int position, int rank, bool isNew)
    {
        if (position < 0 || position >= head)
        {
            return 0;
        }

        var row = ShapePropensities(head, poolNew, poolOld)[position];
        return rank < head ? row[rank] : isNew ? row[head] : row[head + 1];
    }

    /// <summary>
    /// Per position: the probability of each head rank (0..k−1), then of any one new pool item, then of any one old
    /// one. The distribution depends on the list's shape only, so serving computes it once per shape, not per request.
    /// </summary>
    private double[][] ShapePropensities(int k, int newInPool, int oldInPool) =>
        _shapes.GetOrAdd((k, newInPool, oldInPool), shape =>
        {
            var standIn = new List<Candidate>(shape.K + shape.New + shape.Old);
            for (var i = 0; i < shape.K; i++)
            {
                standIn.Add(new Candidate($"h{i}", 0));
            }

            for (var i = 0; i < shape.New; i++)
            {
                standIn.Add(new Candidate($"n{i}", 0, IsNew: true));
            }

            for (var i = 0; i < shape.Old; i++)
            {
                standIn.Add(new Candidate($"o{i}", 0));
            }

            var distribution = Distribution(standIn, shape.K);
            var rows = new double[shape.K][];
            for (var p = 0; p < shape.K; p++)
            {
                rows[p] = new double[shape.K + 2];
                for (var i = 0; i < shape.K; i++)
                {
                    rows[p][i] = distribution[p].GetValueOrDefault($"h{i}");
                }

                rows[p][shape.K] = distribution[p].GetValueOrDefault("n0");
                rows[p][shape.K + 1] = distribution[p].GetValueOrDefault("o0");
            }
            return rows;
        });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int K, int New, int Old), double[][]> _shapes = new();

    private bool CanExplore(int explored, int pool) => Explore > 0 && explored < Budget && explored < pool;

    private static (int New, int Old) PoolCounts(IReadOnlyList<Candidate> ranked, int k)
    {
        var newCount = 0;
        for (var i = k; i < ranked.Count; i++)
        {
            if (ranked[i].IsNew)
            {
                newCount++;
            }
        }

        return (newCount, ranked.Count - k - newCount);
    }
}
