using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>Uniformly random lists: every slot an explore slot, every item at every position with probability 1/N.</summary>
public sealed class UniformRandomPolicy : IExplorationPolicy
{
    public string Name => "uniform-random";

    public IReadOnlyList<ExploredSlot> Select(IReadOnlyList<Candidate> ranked, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(random);
        var k = Math.Clamp(count, 0, ranked.Count);
        var indices = Enumerable.Range(0, ranked.Count).ToArray();
        var result = new List<ExploredSlot>(k);
        for (var p = 0; p < k; p++)
        {
            var j = p + random.Next(ranked.Count - p);
            (indices[p], indices[j]) = (indices[j], indices[p]);
            result.Add(new ExploredSlot(ranked[indices[p]].ItemId, p, SlotKind.Explore, 1.0 / ranked.Count));
        }
        return result;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, double>> Distribution(IReadOnlyList<Candidate> ranked, int count)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var k = Math.Clamp(count, 0, ranked.Count);
        var slot = ranked.ToDictionary(c => c.ItemId, _ => 1.0 / ranked.Count);
        return Enumerable.Repeat<IReadOnlyDictionary<string, double>>(slot, k).ToList();
    }
}
