using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>The model an instance serves: the promoted version, its recommender, and the pointer's entity tag it was loaded for.</summary>
public sealed record ServingModel(ModelPointer Pointer, string PointerETag, Recommender Recommender, DateTimeOffset LoadedAt)
{
    public string Version => Pointer.Version;

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

    public IReadOnlyDictionary<string, ItemFeedback> Feedback { get; }

    public long EventsRead { get; }

    public DateTimeOffset AsOf { get; }

    public static async Task<TrendingEvents> ComputeAsync(
        IAsyncEnumerable<BehaviorEvent> events, EventWeights weights, TimeSpan halfLife, int maxEvents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byItem = new Dictionary<string, double>(StringComparer.Ordinal);
        var feedback = new Dictionary<string, ItemFeedback>(StringComparer.Ordinal);
        // Anonymous lists are no feedback (anyone can ask for them without showing them): their impressions are skipped,
        // and the clicks citing them once the whole read has named them, since a click may be read before its list.
        var anonymousLists = new HashSet<string>(StringComparer.Ordinal);
        var clicks = new List<(string List, string Item)>();
        long read = 0, impressions = 0;
        var nowSeconds = now.ToUnixTimeSeconds();
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            // Serving logs about ten impressions per list: they must not use up the budget of behaviour events, so they
            // have their own (ten times as many), and reading stops when either runs out.
            if (e.Type == EventType.Impression ? impressions++ >= ImpressionsPerEvent * (long)maxEvents : read++ >= maxEvents)
            {
                break;
            }

            if (e.RecommendationId is { } list && e.Type is EventType.Impression or EventType.Click)
            {
                if (e.Type == EventType.Click)
                {
                    clicks.Add((list, e.ItemId));
                }
                else if (Exploration.ImpressionEvents.IsAnonymous(e))
                {
                    anonymousLists.Add(list);
                }
                else
                {
                    var f = feedback.GetValueOrDefault(e.ItemId);
                    feedback[e.ItemId] = f with { Impressions = f.Impressions + 1 };
                }
            }

            var w = weights.WeightOf(e.Type, e.Value);
            if (w <= 0 || !double.IsFinite(w))
            {
                continue;
            }

            var age = Math.Max(0, nowSeconds - e.Timestamp.ToUnixTimeSeconds());
            byItem[e.ItemId] = byItem.GetValueOrDefault(e.ItemId) + (w * Math.Pow(0.5, age / halfLife.TotalSeconds));
        }

        foreach (var (list, item) in clicks)
        {
            if (!anonymousLists.Contains(list))
            {
                var f = feedback.GetValueOrDefault(item);
                feedback[item] = f with { Clicks = f.Clicks + 1 };
            }
        }

        return new TrendingEvents(byItem, Math.Min(read, maxEvents), now, feedback);
    }

    /// <summary>Impression events read for feedback per behaviour event of the trending budget.</summary>
    public const int ImpressionsPerEvent = 10;

    public override string ToString() => $"{WeightByItem.Count} items from {EventsRead} events";
}
