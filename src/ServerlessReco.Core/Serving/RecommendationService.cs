using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Recommendations for users, similar items and trending items, from the model in memory, the user's recent events
/// (one partition read per request, so events recorded since training count at once) and business rules. A personal
/// list goes through small stages (<see cref="PersonalListStages"/>), one purpose each: the business rules of the user's history
/// (<see cref="HistoryExclusions"/>) and of the catalogue (<see cref="CatalogRules"/>), the candidate sources (new
/// arrivals, the model's scores, trending), diversity re-ranking, exploration (policy, long-tail sample, propensities),
/// then the sinks of the served list (the served-list store). Cold users get trending shaped by the categories of their
/// session, and new arrivals; without a model it answers from trending and popularity ("popularity-fallback"); a store
/// that fails degrades the answer, never throws. Thread-safe: one instance per process.
/// </summary>
public sealed class RecommendationService
{
    private readonly TimeProvider _time;
    private readonly ServingOptions _options;
    private readonly ServingStateCache _states;
    private readonly RecentEvents _recentEvents;
    private readonly ImpressionFatigue _fatigue;
    private readonly PersonalListStages _stages;
    private readonly TrendingCandidateSource _trending;
    private readonly IServedListSink[] _sinks;

    /// <param name="observer">
    /// Also receives every personal list <see cref="RecommendAsync"/> serves, after the served-list log (see
    /// <see cref="IServedListSink"/>); null for none.
    /// </param>
    /// <param name="shopperKey">
    /// The key the served-list store keeps a shopper under (the host's pseudonym of the id), which the click model's
    /// counts are keyed by; null where the store keeps the id itself (the simulator, tests).
    /// </param>
    public RecommendationService(
        ModelCache models, IItemStore items, IEventStore events, IServedListStore lists, ServingOptions options, TimeProvider? time = null,
        ILogger<RecommendationService>? logger = null, IServedListSink? observer = null, Func<string, string>? shopperKey = null)
    {
        // The options are validated once, when the host starts (RecoSettings), not again per construction.
        _time = time ?? TimeProvider.System;
        _options = options;
        ILogger log = logger ?? NullLogger<RecommendationService>.Instance;
        _states = new ServingStateCache(models, items, events, lists, options, _time, log);
        _recentEvents = new RecentEvents(events, options, log);
        _fatigue = new ImpressionFatigue(lists, options, log);
        _stages = new PersonalListStages(options, new LiveExposure(), shopperKey);
        _trending = new TrendingCandidateSource(options);
        IServedListSink?[] sinks = [options.LogServedLists ? new ServedListLog(lists, log) : null, observer];
        _sinks = [.. sinks.OfType<IServedListSink>()];
    }

    public ModelCache Models => _states.Models;

    /// <summary>Reloads model, catalogue and trending now and waits (warm-up, tests, benchmarks).</summary>
    public Task RefreshAsync() => _states.RefreshAsync();

    /// <summary>Top items for a user, each with a reason; never throws for a store failure.</summary>
    public async Task<RecommendationList> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        CheckCount(request.Count);
        var state = await _states.GetAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var (events, fatigued) = await ReadShopperAsync(request, state, now, cancellationToken);
        var served = _stages.Serve(state, request, events, now, fatigued);
        if (!request.Who.StoresServedLists)
        {
            // An anonymous list is counted nowhere: it costs the partition read and nothing else.
            return served.List with { RecommendationId = Access.PublicListIds.Of(served.List.RecommendationId) };
        }

        _stages.Live.Record(state.Trending, served.List.Items.Select(i => i.ItemId));
        foreach (var sink in _sinks)
        {
            await sink.ServedAsync(served, cancellationToken);
        }

        return served.List;
    }

    /// <summary>
    /// The list <see cref="RecommendAsync"/> would serve the user now, with the recent events it read, sent to no sink:
    /// an operator looking at a shopper is not a serving (nothing recorded, so nothing to attribute or evaluate).
    /// </summary>
    public async Task<ServingPreview> PreviewAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        CheckCount(request.Count);
        var state = await _states.GetAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var (events, fatigued) = await ReadShopperAsync(request, state, now, cancellationToken);
        return new ServingPreview(events, _stages.Serve(state, request, events, now, fatigued).List);
    }

    /// <summary>
    /// The shopper's recent events and the items fatigue holds back, read side by side: the history from the event
    /// store, the lists shown lately from the served-list store (one partition each, issued together, so the second
    /// read adds its own latency only where it is the slower). Anonymous shoppers have no stored lists to read.
    /// </summary>
    private async Task<(IReadOnlyList<BehaviorEvent> Events, IReadOnlySet<string>? Fatigued)> ReadShopperAsync(
        RecommendationRequest request, ServingState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var eventsRead = _recentEvents.ReadAsync(request.UserId, cancellationToken);
        if (!_fatigue.IsOn || !_options.LogServedLists || !request.Who.StoresServedLists)
        {
            return (await eventsRead, null);
        }

        var listsRead = _fatigue.ReadAsync(request.UserId, now, cancellationToken);
        var (events, lists) = (await eventsRead, await listsRead);
        return (events, ImpressionFatigue.Fatigued(lists, events, state.Weights, _options.FatigueShowings));
    }

    /// <summary>
    /// The list for given recent events (oldest first), without reading the store or logging: the in-process path the
    /// benchmark measures. <see cref="RecommendAsync"/> reads the events and serves through the same path.
    /// </summary>
    public RecommendationList Recommend(RecommendationRequest request, IReadOnlyList<BehaviorEvent> recentEvents)
    {
        CheckCount(request.Count);
        return _stages.Serve(_states.Current, request, recentEvents, _time.GetUtcNow()).List;
    }

    /// <summary>Items like <paramref name="itemId"/>; null when neither the model nor the catalogue knows the item.</summary>
    public async Task<RecommendationList?> SimilarAsync(string itemId, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count);
        var state = await _states.GetAsync(cancellationToken);
        var taken = new HashSet<string>(StringComparer.Ordinal) { itemId };
        var items = new List<RecommendedItem>(count);
        if (state.Model is { } model && model.Recommender.Artifact.Model.Items.TryGetIndex(itemId, out var index))
        {
            items.AddRange(ModelCandidateSource.Similar(state, model.Recommender, itemId, index, count, taken));
        }
        else if (ContentCandidateSource.Similar(state, itemId, count, taken) is { Count: > 0 } alike)
        {
            items.AddRange(alike); // an item with no interactions: its neighbours by content
        }
        else if (!state.Catalog.ById.ContainsKey(itemId))
        {
            return null;
        }

        var category = state.CategoryOf(itemId);
        var shares = category >= 0 ? new Dictionary<int, double> { [category] = 1 } : [];
        items.AddRange(_trending.Take(state, count - items.Count, CatalogRules.AnyCategory, shares, taken));
        return state.ListOf(items);
    }

    /// <summary>Trending items (recent activity with time decay, plus the model's popularity), optionally in one category.</summary>
    public async Task<RecommendationList> TrendingAsync(string? category, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count);
        var state = await _states.GetAsync(cancellationToken);
        var filter = CatalogRules.ResolveCategory(state, category);
        var items = filter == CatalogRules.NoSuchCategory ? [] : _trending.Take(state, count, filter, [], new HashSet<string>(StringComparer.Ordinal));
        return state.ListOf(items);
    }

    /// <summary>
    /// The content prior of an item for exploration: the cosine of its content vector to the best sellers' direction
    /// (−1..1), or null when the serving model carries no vector for it. Meant for items the model does not know yet.
    /// </summary>
    public double? ContentPrior(string itemId) => _states.Current.Content?.Prior(itemId);

    private static void CheckCount(int count)
    {
        if (count is < 1 or > ServingOptions.MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be 1 to {ServingOptions.MaxCount}.");
        }
    }
}
