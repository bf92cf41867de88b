using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Serving;

/// <summary>A trending candidate: its score, whether recent events (not only the model's popularity) back it, its category.</summary>
internal readonly record struct TrendItem(string ItemId, double Score, bool Recent, int Category);

/// <summary>A catalogue item, newest first; <paramref name="ModelKnows"/>: the model has learnt it (a new arrival that was viewed before a retrain).</summary>
internal readonly record struct NewItem(string ItemId, DateTimeOffset CreatedAt, int Category, bool ModelKnows = false);

/// <summary>
/// What requests read, joined once per change of model, catalogue or trending (never per request): the
/// catalogue's availability and category per model item, trending lists overall and per category, and new
/// arrivals. Immutable; swapped as a whole.
/// </summary>
internal sealed class ServingState
{
    public ServingState(ServingModel? model, CatalogSnapshot catalog, TrendingEvents trending, double popularityPrior)
    {
        Model = model;
        Catalog = catalog;
        Trending = trending;
        Weights = model?.Recommender.Artifact.Training.Weights ?? new EventWeights();
        (CategoryIds, CategoryNames, _itemCategory) = Categories(catalog);

        var items = model?.Recommender.Artifact.Model.Items;
        var n = items?.Count ?? 0;
        ModelBlocked = new bool[n];
        ModelCategory = new int[n];
        ModelExposed = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var id = items![i];
            ModelBlocked[i] = catalog.IsUnavailable(id);
            ModelCategory[i] = CategoryOf(id);
            ModelExposed[i] = trending.Feedback.TryGetValue(id, out var feedback) && feedback.Impressions > 0;
        }

        TrendAll = Trend(model, catalog, trending, popularityPrior);
        TrendByCategory = new TrendItem[CategoryNames.Length][];
        var byCategory = TrendAll.Where(t => t.Category >= 0).GroupBy(t => t.Category).ToDictionary(g => g.Key, g => g.ToArray());
        for (var c = 0; c < CategoryNames.Length; c++)
        {
            TrendByCategory[c] = byCategory.GetValueOrDefault(c) ?? [];
        }

        Content = model?.Content is { } vectors ? new ContentScores(vectors, model, catalog) : null;
        CatalogueNewest = [.. catalog.ById.Values
            .Where(i => i.Available)
            .Select(i => new NewItem(i.ItemId, i.CreatedAt ?? DateTimeOffset.MinValue, CategoryOf(i.ItemId)))
            .OrderByDescending(i => i.CreatedAt).ThenBy(i => i.ItemId, StringComparer.Ordinal)];
        NewArrivals = [.. CatalogueNewest
            .Where(i => i.CreatedAt != DateTimeOffset.MinValue)
            .Select(i => i with { ModelKnows = items is not null && items.TryGetIndex(i.ItemId, out _) })];
        // Built with the state (a refresh, off the request path), not by the first exploring request after it: with
        // 100,000 unknown items the shortlist's sort would otherwise land on one shopper's list.
        Unknown = new UnknownItems(this);
    }

    /// <summary>Category names numbered in catalogue order (case-insensitive), and each item's category number.</summary>
    private static (Dictionary<string, int> Ids, string[] Names, Dictionary<string, int> ItemCategory) Categories(CatalogSnapshot catalog)
    {
        var categoryIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var item in catalog.ById.Values)
        {
            if (!string.IsNullOrWhiteSpace(item.Category) && !categoryIds.ContainsKey(item.Category))
            {
                categoryIds[item.Category] = names.Count;
                names.Add(item.Category);
            }
        }

        var itemCategory = new Dictionary<string, int>(catalog.ById.Count, StringComparer.Ordinal);
        foreach (var item in catalog.ById.Values)
        {
            if (!string.IsNullOrWhiteSpace(item.Category))
            {
                itemCategory[item.ItemId] = categoryIds[item.Category];
            }
        }

        return (categoryIds, [.. names], itemCategory);
    }

    /// <summary>
    /// Trending, best first: recent decayed activity (0..1) plus a share of the model's popularity (0..1), available
    /// items only; ties by id so the order is stable.
    /// </summary>
    private TrendItem[] Trend(ServingModel? model, CatalogSnapshot catalog, TrendingEvents trending, double popularityPrior)
    {
        var items = model?.Recommender.Artifact.Model.Items;
        var n = items?.Count ?? 0;
        var popularity = model?.Recommender.Artifact.ItemPopularity;
        var maxPopularity = popularity is { Length: > 0 } ? Math.Max(1, popularity.Max()) : 1;
        var maxRecent = trending.WeightByItem.Count > 0 ? trending.WeightByItem.Values.Max() : 1;
        var scores = new Dictionary<string, (double Score, bool Recent)>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (popularity![i] > 0)
            {
                scores[items![i]] = (popularityPrior * popularity[i] / maxPopularity, false);
            }
        }

        // The stored events' popularity (only when the window held none and no model serves): a share like the model's.
        var maxPopular = trending.Popular.Count > 0 ? trending.Popular.Values.Max() : 1;
        foreach (var (id, weight) in trending.Popular)
        {
            scores[id] = (Math.Max(scores.GetValueOrDefault(id).Score, Math.Max(popularityPrior, 0.5) * weight / maxPopular), false);
        }

        foreach (var (id, weight) in trending.WeightByItem)
        {
            scores[id] = (scores.GetValueOrDefault(id).Score + (weight / maxRecent), true);
        }

        var all = new List<TrendItem>(scores.Count);
        foreach (var (id, (score, recent)) in scores)
        {
            if (score > 0 && !catalog.IsUnavailable(id))
            {
                all.Add(new TrendItem(id, score, recent, CategoryOf(id)));
            }
        }

        all.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.ItemId, b.ItemId));
        return [.. all];
    }

    public ServingModel? Model { get; }

    /// <summary>The content scores of the items the model cannot answer for; null when the model carries no content vectors.</summary>
    public ContentScores? Content { get; }

    public CatalogSnapshot Catalog { get; }
    public TrendingEvents Trending { get; }

    /// <summary>How much each kind of event counts: the model's training weights, the defaults without a model.</summary>
    public EventWeights Weights { get; }

    public IReadOnlyDictionary<string, int> CategoryIds { get; }
    public string[] CategoryNames { get; }

    /// <summary>Per model item index: unavailable in the catalogue.</summary>
    public bool[] ModelBlocked { get; }

    /// <summary>Per model item index: category id, −1 when the catalogue gives none.</summary>
    public int[] ModelCategory { get; }

    /// <summary>By model index: shown in a recommendation list within the trending window (the long-tail sample prefers the others).</summary>
    public bool[] ModelExposed { get; }

    /// <summary>The catalogue items the model does not know: the unknown explore pool's source.</summary>
    public UnknownItems Unknown { get; }

    public TrendItem[] TrendAll { get; }
    public TrendItem[][] TrendByCategory { get; }
    /// <summary>
    /// Every available catalogue item with a creation time, newest first, marked when the model knows it: the new-arrival
    /// slot's source (an item the model knows is one only until a list first shows it, within its first day).
    /// </summary>
    public NewItem[] NewArrivals { get; }

    /// <summary>
    /// Every available catalogue item, newest first (those without a creation time last, as <see cref="DateTimeOffset.MinValue"/>):
    /// the last fill of a list when trending and popularity have too few, so that a list is never empty while the catalogue has items.
    /// </summary>
    public NewItem[] CatalogueNewest { get; }

    public bool IsFor(ServingModel? model, CatalogSnapshot catalog, TrendingEvents trending) =>
        ReferenceEquals(Model, model) && ReferenceEquals(Catalog, catalog) && ReferenceEquals(Trending, trending);

    private readonly Dictionary<string, int> _itemCategory;

    private ItemPriors? _priors;

    /// <summary>Popularity overall and within its category per model item: what the category and popularity families read. Built when first needed.</summary>
    public ItemPriors Priors => _priors ??= new ItemPriors(Model?.Recommender.Artifact.ItemPopularity ?? [], ModelCategory, Model?.Recommender.Artifact.Model.Items.Ids);

    public int CategoryOf(string itemId) => _itemCategory.TryGetValue(itemId, out var id) ? id : -1;

    public string? CategoryName(int category) => category >= 0 ? CategoryNames[category] : null;

    public string TitleOf(string itemId) =>
        Catalog.ById.TryGetValue(itemId, out var item) && !string.IsNullOrWhiteSpace(item.Title) ? item.Title : itemId;

    /// <summary>A list item with the catalogue's title and category, its score rounded to 6 decimals.</summary>
    public RecommendedItem ItemFor(string itemId, double score, string reason, ReasonKind kind, string? basedOn = null)
    {
        Catalog.ById.TryGetValue(itemId, out var item);
        return new RecommendedItem(itemId, Math.Round(score, 6), reason, kind, basedOn, item?.Title, item?.Category);
    }

    /// <summary>A list with a new id, made by the model when one is loaded.</summary>
    public RecommendationList ListOf(IReadOnlyList<RecommendedItem> items) =>
        new("rec-" + Guid.CreateVersion7().ToString("N"), Model is null ? ServingSource.PopularityFallback : ServingSource.Model, Model?.Version, items);
}
