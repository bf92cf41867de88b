namespace ServerlessReco.Core.Diversity;

/// <summary>
/// The category set of every item of a model, by item index (a MovieLens movie has several genres, a shop
/// item one category, some items none). Categories are numbered once and stored flat, sorted per item, so that
/// overlaps are a merge of two short integer runs and re-ranking allocates nothing per item.
/// </summary>
public sealed class ItemCategories
{
    private readonly int[] _start;
    private readonly int[] _categories;
    private readonly string[] _names;

    private ItemCategories(int[] start, int[] categories, string[] names)
    {
        _start = start;
        _categories = categories;
        _names = names;
    }

    public int ItemCount => _start.Length - 1;

    public int CategoryCount => _names.Length;

    /// <summary>The categories of item <paramref name="item"/> as sorted, distinct numbers (see <see cref="Name"/>).</summary>
    public ReadOnlySpan<int> Of(int item) => _categories.AsSpan(_start[item], _start[item + 1] - _start[item]);

    public string Name(int category) => _names[category];

    /// <summary>Categories by item index; null or empty: the item has none.</summary>
    public static ItemCategories FromSets(IReadOnlyList<IEnumerable<string>?> categoriesByItem)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = new int[categoriesByItem.Count + 1];
        var flat = new List<int>(categoriesByItem.Count);
        for (var item = 0; item < categoriesByItem.Count; item++)
        {
            start[item] = flat.Count;
            AppendSortedDistinct(categoriesByItem[item], numbers, flat);
        }

        start[^1] = flat.Count;
        var names = new string[numbers.Count];
        foreach (var (name, number) in numbers)
        {
            names[number] = name;
        }

        return new ItemCategories(start, [.. flat], names);
    }

    /// <summary>One category (or none) per item index, as a shop catalogue has.</summary>
    public static ItemCategories FromSingle(IReadOnlyList<string?> categoryByItem) =>
        FromSets(categoryByItem.Select(c => c is null ? null : (IEnumerable<string>)[c]).ToList());

    /// <summary>
    /// Shared categories over categories of either (Jaccard) of two sorted, distinct sets; 0 when either has
    /// none, so an uncategorised item resembles nothing (as <c>IntraListDiversity</c> counts it).
    /// </summary>
    public static double Jaccard(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return 0;
        }

        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)shared / (a.Length + b.Length - shared);
    }

    /// <summary>Numbers <paramref name="categories"/> (new names get the next number) and appends them sorted, without repeats.</summary>
    internal static void AppendSortedDistinct(IEnumerable<string>? categories, Dictionary<string, int> numbers, List<int> flat)
    {
        if (categories is null)
        {
            return;
        }

        var first = flat.Count;
        foreach (var name in categories)
        {
            if (!numbers.TryGetValue(name, out var number))
            {
                numbers[name] = number = numbers.Count;
            }

            flat.Add(number);
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(flat)[first..];
        span.Sort();
        var kept = span.IsEmpty ? 0 : 1;
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i] != span[kept - 1])
            {
                span[kept++] = span[i];
            }
        }

        flat.RemoveRange(first + kept, span.Length - kept);
    }
}
