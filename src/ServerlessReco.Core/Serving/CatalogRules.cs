namespace ServerlessReco.Core.Serving;

/// <summary>
/// The business rules the catalogue sets: unavailable items are never served, and a category filter serves only that
/// category. Categories are matched without regard to case; an unknown one gets an empty list.
/// </summary>
internal static class CatalogRules
{
    /// <summary>No category filter.</summary>
    public const int AnyCategory = -1;

    /// <summary>A filter on a category the catalogue does not have.</summary>
    public const int NoSuchCategory = -2;

    /// <summary>The category id of a filter: <see cref="AnyCategory"/> for none, <see cref="NoSuchCategory"/> for an unknown one.</summary>
    public static int ResolveCategory(ServingState state, string? category) =>
        string.IsNullOrEmpty(category) ? AnyCategory : state.CategoryIds.TryGetValue(category, out var c) ? c : NoSuchCategory;

    /// <summary>Rules out (−∞) the model items that are unavailable and, with a category filter, those of other categories.</summary>
    public static void Mask(ServingState state, Span<double> scores, int category)
    {
        var blocked = state.ModelBlocked;
        var categories = state.ModelCategory;
        for (var i = 0; i < scores.Length; i++)
        {
            if (blocked[i] || (category >= 0 && categories[i] != category))
            {
                scores[i] = double.NegativeInfinity;
            }
        }
    }
}
