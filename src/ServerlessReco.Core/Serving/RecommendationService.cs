using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Recommendations for users, similar items and trending items, from the model in memory, the user's recent events
/// (one partition read per request, so events recorded since training count at once) and business rules. A personal
/// list goes through small stages, one purpose each: the business rules of the user's history
/// (<see cref="HistoryExclusions"/>) and of the catalogue (<see cref="CatalogRules"/>), the candidate sources (new
/// arrivals, the model's scores, trending), diversity re-ranking, exploration (policy, long-tail sample, propensities),
/// then the sinks of the served list (the served-list store). Cold users get trending shaped by the categories of their
/// session, and new arrivals; without a model it answers from trending and popularity ("popularity-fallback"); a store
/// that fails degrades the answer, never throws. Thread-safe: one instance per process.
/// </summary>
public sealed class RecommendationService
{
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private readonly ServingStateCache _states;
    private readonly RecentEvents _recentEvents;
    private readonly HistoryExclusions _exclusions;
    private readonly NewArrivalSource _newArrivals;
    private readonly TrendingCandidateSource _trending;
    private readonly DiversityStage? _diversity;
    private readonly ExplorationStage _exploration;
    private readonly LiveExposure _live = new();
    private readonly IServedListSink[] _sinks;

    /// <param name="observer">
    /// Also receives every personal list <see cref="RecommendAsync"/> serves, after the served-list log (see
    /// <see cref="IServedListSink"/>); null for none.
    /// </param>
    public RecommendationService(
        ModelCache models, IItemStore items, IEventStore events, IServedListStore lists, ServingOptions options, TimeProvider? time = null,
        ILogger<RecommendationService>? logger = null, IServedListSink? observer = null)
    {
        _options = options; // validated once, when the host starts (RecoSettings), not again per construction
        _time = time ?? TimeProvider.System;
        ILogger log = logger ?? NullLogger<RecommendationService>.Instance;
        _states = new ServingStateCache(models, items, events, lists, options, _time, log);
        _recentEvents = new RecentEvents(events, options, log);
        _exclusions = new HistoryExclusions(options);
        _newArrivals = new NewArrivalSource(options, _live);
        _trending = new TrendingCandidateSource(options);
        _diversity = options.Diversity.IsOff ? null : new DiversityStage(options.Diversity);
        _exploration = new ExplorationStage(options, _live);
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
        var events = await _recentEvents.ReadAsync(request.UserId, cancellationToken);
        var served = Serve(state, request, events, now);
        if (!request.Who.StoresServedLists)
        {
            // An anonymous list is counted nowhere: it costs the partition read and nothing else.
            return served.List with { RecommendationId = Access.PublicListIds.Of(served.List.RecommendationId) };
        }

        _live.Record(state.Trending, served.List.Items.Select(i => i.ItemId));
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
        var events = await _recentEvents.ReadAsync(request.UserId, cancellationToken);
        return new ServingPreview(events, Serve(state, request, events, now).List);
    }

    /// <summary>
    /// The list for given recent events (oldest first), without reading the store or logging: the in-process path the
    /// benchmark measures. <see cref="RecommendAsync"/> reads the events and serves through the same path.
    /// </summary>
    public RecommendationList Recommend(RecommendationRequest request, IReadOnlyList<BehaviorEvent> recentEvents)
    {
        CheckCount(request.Count);
        return Serve(_states.Current, request, recentEvents, _time.GetUtcNow()).List;
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
    /// One personal list: fixed new-arrival slots, and the rest drawn by the exploration policy from the model's best
    /// candidates (trending fills in when the model has too few), re-ranked for diversity when that is on, plus a pool
    /// of the next best and a long-tail sample to explore from.
    /// </summary>
    private ServedList Serve(ServingState state, RecommendationRequest request, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now)
    {
        var category = CatalogRules.ResolveCategory(state, request.Category);
        if (category == CatalogRules.NoSuchCategory)
        {
            return new ServedList(request, state.ListOf([]), [], ListShape.None, [], now);
        }

        var excludeSeen = _options.ExcludeSeen ?? !(state.Model?.Blend?.Weights.Repeat > 0);
        var list = new ListContext(state, events, now, category, request.SessionId, _exclusions.Of(events, state.Weights, excludeSeen));
        var requested = request.Who.ChoosesExploration ? request.Explore : null;
        // Explore 0 is the model's order alone: no explore slot and no new-arrival slot either.
        var newArrivals = _exploration.RateOf(requested) > 0 ? _newArrivals.Take(list, Math.Min(_options.NewArrivalSlots, request.Count)) : [];
        var plan = _exploration.Plan(requested, request.Count - newArrivals.Count);
        var diversify = _diversity is not null && plan.Room > 1;
        var model = ModelCandidateSource.Take(list, diversify ? _diversity!.CandidatesFor(plan.Wanted) : plan.Wanted, plan.TailSize, plan.Random);
        var candidates = model.Near;
        var byContent = ContentCandidateSource.Take(list, plan.Wanted > plan.Room && !_exploration.ReachesUnknown ? ContentPoolSize : plan.Wanted - candidates.Count);
        if (candidates.Count < plan.Wanted)
        {
            // Items only content can score fill what the model could not, then trending; the user's categories (a pass
            // over the events) only then.
            var fill = byContent.Take(plan.Wanted - candidates.Count).ToList();
            byContent.RemoveRange(0, fill.Count);
            candidates.AddRange(fill);
            candidates.AddRange(_trending.Take(state, plan.Wanted - candidates.Count, category, list.CategoryShares, list.Taken).Select(item => new ServingCandidate(item, -1)));
        }

        if (diversify)
        {
            candidates = _diversity!.Rerank(state, candidates, plan.Room, plan.Wanted);
        }

        // The explore pool's items only content can score: after the model's next best, or (uncertainty) the whole
        // catalogue the model does not know, as a pool of its own.
        List<(ServingCandidate, long, long)> unknown = [];
        if (_exploration.ReachesUnknown && plan.Wanted > plan.Room)
        {
            unknown = UnknownCandidateSource.Take(list, _live, UnknownPoolSize);
        }
        else
        {
            candidates.AddRange(byContent);
        }

        return _exploration.Serve(list, request, plan, candidates, model, newArrivals, unknown);
    }

    /// <summary>How many items only content can score join a list's explore pool, on their content score.</summary>
    private const int ContentPoolSize = 5;

    /// <summary>How many catalogue items the model does not know an exploring list's unknown pool holds at most.</summary>
    private const int UnknownPoolSize = 200;

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
