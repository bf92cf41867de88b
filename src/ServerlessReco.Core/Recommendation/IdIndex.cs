namespace ServerlessReco.Core.Recommendation;

/// <summary>A dense 0..n-1 numbering of string ids (users or items), saved with every model.</summary>
public sealed class IdIndex
{
    private readonly Dictionary<string, int> _byId;
    private readonly List<string> _ids;

    public IdIndex()
    {
        _byId = new Dictionary<string, int>(StringComparer.Ordinal);
        _ids = [];
    }

    public IdIndex(IEnumerable<string> ids)
        : this()
    {
        foreach (var id in ids)
        {
            GetOrAdd(id);
        }
    }

    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    public string this[int index] => _ids[index];

    public int GetOrAdd(string id)
    {
        if (!_byId.TryGetValue(id, out var index))
        {
            index = _ids.Count;
            _byId[id] = index;
            _ids.Add(id);
        }

        return index;
    }

    public bool TryGetIndex(string id, out int index) => _byId.TryGetValue(id, out index);

    /// <summary>The index of each id for which <paramref name="keep"/> is true, renumbered densely.</summary>
    internal (IdIndex Index, int[] OldToNew) Filter(Func<int, bool> keep)
    {
        var kept = new IdIndex();
        var map = new int[_ids.Count];
        for (var i = 0; i < _ids.Count; i++)
        {
            map[i] = keep(i) ? kept.GetOrAdd(_ids[i]) : -1;
        }

        return (kept, map);
    }
}
