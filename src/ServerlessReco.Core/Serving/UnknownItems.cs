namespace ServerlessReco.Core.Serving;

/// <summary>
/// The catalogue items the collaborative model does not know (available, never in its training data), whatever their
/// age, each with its category, its place among the content scores' cold items (−1 without a vector) and its content
/// prior: the explore pool of <see cref="Exploration.UncertaintyPolicy"/>'s unknown group. Items the model knows, even
/// from one shopper, are the long-tail sample's: the two pools never share an item, so each draw's propensity is exact.
/// Built once per serving state, when first needed.
/// </summary>
internal sealed class UnknownItems
{
    public UnknownItems(ServingState state)
    {
        var model = state.Model?.Recommender.Artifact;
        var coldIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        if (state.Content is { } content)
        {
            for (var c = 0; c < content.Cold.Length; c++)
            {
                coldIndex[content.Vectors.Items[content.Cold[c]]] = c;
            }
        }

        var items = new List<UnknownItem>();
        foreach (var item in state.Catalog.ById.Values.OrderBy(i => i.ItemId, StringComparer.Ordinal))
        {
            var known = model is not null && model.Model.Items.TryGetIndex(item.ItemId, out _);
            if (item.Available && !known)
            {
                var cold = coldIndex.GetValueOrDefault(item.ItemId, -1);
                items.Add(new UnknownItem(item.ItemId, state.CategoryOf(item.ItemId), cold, state.Content?.Prior(item.ItemId) ?? 0));
            }
        }

        Items = [.. items];
        // A request scans the shortlist, not the whole unknown catalogue (100,000 items without a model): items no list
        // has shown first, then by content prior, ties taking turns by a hash that changes with every feedback snapshot.
        var salt = state.Trending.AsOf.UtcTicks.GetHashCode();
        Shortlist = [.. items
            .OrderBy(i => state.Trending.Feedback.TryGetValue(i.ItemId, out var f) && f.Impressions > 0)
            .ThenByDescending(i => i.Prior)
            .ThenBy(i => HashCode.Combine(StringComparer.Ordinal.GetHashCode(i.ItemId), salt))
            .ThenBy(i => i.ItemId, StringComparer.Ordinal)
            .Take(ShortlistSize)];
    }

    /// <summary>How many unknown items a request considers at most.</summary>
    public const int ShortlistSize = 2000;

    public UnknownItem[] Items { get; }

    /// <summary>The unknown items requests consider, in the order that breaks their ties.</summary>
    public UnknownItem[] Shortlist { get; }
}

/// <summary>An item of <see cref="UnknownItems"/>: <paramref name="Cold"/> its index among the content scores' cold items or −1; <paramref name="Prior"/> its content prior (0 without one).</summary>
internal readonly record struct UnknownItem(string ItemId, int Category, int Cold, double Prior);
