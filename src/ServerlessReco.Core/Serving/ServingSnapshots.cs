using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Serving;

/// <summary>The model an instance serves: the promoted version, its recommender, and the pointer's entity tag it was loaded for.</summary>
public sealed record ServingModel(ModelPointer Pointer, string PointerETag, Recommender Recommender, DateTimeOffset LoadedAt)
{
    public string Version => Pointer.Version;

    /// <summary>The catalogue's content vectors the artifact carries (read once at load), or null for a model trained without them.</summary>
    public ContentEmbeddings? Content { get; init; } = ContentEmbeddings.From(Recommender.Artifact);

    /// <summary>The training histories as neighbour sessions (read once at load), or null for a model trained without them.</summary>
    public SessionIndex? Sessions { get; init; } = SessionIndex.From(Recommender.Artifact);

    /// <summary>The candidate families' weights chosen at retrain, or null: the model alone (<see cref="BlendWeights.ModelOnly"/>).</summary>
    public BlendChoice? Blend { get; init; } = BlendChoice.From(Recommender.Artifact);

    /// <summary>The click model that re-ranks personal lists (read once at load), or null: none trained, or the gate did not let it serve.</summary>
    public ClickPrediction.ClickModel? Clicks { get; init; } =
        Recommender.Artifact.Attachments.TryGetValue(ClickPrediction.ClickModel.AttachmentName, out var clicks) ? ClickPrediction.ClickModel.FromBytes(clicks) : null;

    /// <summary>The exploration rate the retrain chose for this version (read once at load), or null: serve the configured rate.</summary>
    public Exploration.ExplorationRateChoice? ExplorationRate { get; init; } = Exploration.ExplorationRateChoice.From(Recommender.Artifact);

    public override string ToString() => $"version {Version} ({Recommender.Artifact.Manifest.ModelKind}, {Recommender.Artifact.Model.Items.Count} items)";
}

/// <summary>The catalogue as serving needs it, read in one pass and kept in memory.</summary>
public sealed class CatalogSnapshot
{
    public static readonly CatalogSnapshot Empty = new([], DateTimeOffset.MinValue);

    public CatalogSnapshot(IEnumerable<CatalogItem> items, DateTimeOffset loadedAt)
    {
        var byId = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            byId[item.ItemId] = item;
        }

        ById = byId;

        LoadedAt = loadedAt;
    }

    public IReadOnlyDictionary<string, CatalogItem> ById { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>Items the catalogue marks unavailable. Items it does not know are allowed (a model may know more).</summary>
    public bool IsUnavailable(string itemId) => ById.TryGetValue(itemId, out var item) && !item.Available;

    public override string ToString() => $"{ById.Count} items";
}

/// <summary>How often an item was shown in recommendation lists recently and how often such a showing was clicked.</summary>
public readonly record struct ItemFeedback(long Impressions, long Clicks);

/// <summary>
/// Recent activity per item, decayed: the "now" part of trending; and, from the same read, each item's recent
/// recommendation feedback (impressions and the clicks that cite a recommendation) for Thompson sampling.
/// </summary>
public sealed class TrendingEvents
{
    public static readonly TrendingEvents Empty = new(new Dictionary<string, double>(StringComparer.Ordinal), 0, DateTimeOffset.MinValue);

    public TrendingEvents(IReadOnlyDictionary<string, double> weightByItem, long eventsRead, DateTimeOffset asOf, IReadOnlyDictionary<string, ItemFeedback>? feedback = null)
    {
        WeightByItem = weightByItem;
        EventsRead = eventsRead;
        AsOf = asOf;
        Feedback = feedback ?? new Dictionary<string, ItemFeedback>(StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, double> WeightByItem { get; }

    /// <summary>
    /// The stored events' undecayed popularity when the window held none and no model served
    /// (<see cref="StoredPopularity"/>); empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, double> Popular { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Where the read behind <see cref="Popular"/> started; null: every stored event.</summary>
    public DateTimeOffset? PopularFrom { get; init; }

    public IReadOnlyDictionary<string, ItemFeedback> Feedback { get; }

    public long EventsRead { get; }

    public DateTimeOffset AsOf { get; }

    /// <summary>
    /// Reads at most <paramref name="maxEvents"/> behaviour events and as many served lists: the events for trending and
    /// clicks, the lists for how often each item was shown. Anonymous lists (stored before they stopped being stored, see
    /// <see cref="ServedListRecord.Anonymous"/>) and the clicks that cite them or a public list id are left out.
    /// </summary>
    public static async Task<TrendingEvents> ComputeAsync(
        IAsyncEnumerable<BehaviorEvent> events, IAsyncEnumerable<ServedListRecord> lists, EventWeights weights, TimeSpan halfLife, int maxEvents,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (feedback, anonymousLists) = await ShownAsync(lists, maxEvents, cancellationToken).ConfigureAwait(false);
        var byItem = new Dictionary<string, double>(StringComparer.Ordinal);
        long read = 0;
        var nowSeconds = now.ToUnixTimeSeconds();
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (e.Type == EventType.Impression)
            {
                continue; // a client's own impression: what was shown, not what the shopper did
            }

            if (read++ >= maxEvents)
            {
                break;
            }

            if (e.Type == EventType.Click && e.RecommendationId is { } list && !anonymousLists.Contains(list) && !Access.PublicListIds.IsPublic(list))
            {
                var f = feedback.GetValueOrDefault(e.ItemId);
                feedback[e.ItemId] = f with { Clicks = f.Clicks + 1 };
            }

            var w = weights.WeightOf(e.Type, e.Value);
            if (w <= 0 || !double.IsFinite(w))
            {
                continue;
            }

            var age = Math.Max(0, nowSeconds - e.Timestamp.ToUnixTimeSeconds());
            byItem[e.ItemId] = byItem.GetValueOrDefault(e.ItemId) + (w * Math.Pow(0.5, age / halfLife.TotalSeconds));
        }

        return new TrendingEvents(byItem, Math.Min(read, maxEvents), now, feedback);
    }

    /// <summary>How often each item was shown in the newest lists read, and which lists were anonymous.</summary>
    private static async Task<(Dictionary<string, ItemFeedback> Shown, HashSet<string> Anonymous)> ShownAsync(
        IAsyncEnumerable<ServedListRecord> lists, int maxLists, CancellationToken cancellationToken)
    {
        var shown = new Dictionary<string, ItemFeedback>(StringComparer.Ordinal);
        var anonymous = new HashSet<string>(StringComparer.Ordinal);
        var read = 0;
        await foreach (var list in lists.WithCancellation(cancellationToken))
        {
            if (list.Anonymous)
            {
                anonymous.Add(list.ListId); // never counts: not towards the cap, not as a showing
                continue;
            }

            if (read++ >= maxLists)
            {
                break;
            }

            foreach (var slot in list.Slots)
            {
                var f = shown.GetValueOrDefault(slot.ItemId);
                shown[slot.ItemId] = f with { Impressions = f.Impressions + 1 };
            }
        }

        return (shown, anonymous);
    }

    public override string ToString() =>
        Popular.Count > 0 ? $"{WeightByItem.Count} items from {EventsRead} events, {Popular.Count} popular from stored events" : $"{WeightByItem.Count} items from {EventsRead} events";
}
