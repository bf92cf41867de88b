using System.Buffers;
using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Recommendations for users, similar items and trending items, from the model in memory, the user's recent
/// events (one partition read per request, so events recorded since training count at once) and business rules
/// (unavailable items never, purchased or seen items left out as configured, category filter). Cold users get
/// trending items shaped by the categories of their session, and new arrivals. Without a model it answers from
/// trending and popularity ("popularity-fallback"); a store that fails degrades the answer, never throws.
/// Thread-safe: one instance per process.
/// </summary>
public sealed class RecommendationService
{
    private readonly IEventStore _events;
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private readonly IServingLog _log;
    private readonly Refreshing<CatalogSnapshot> _catalog;
    private readonly Refreshing<TrendingEvents> _trending;
    private readonly Lock _rebuild = new();
    private readonly ExplorationPolicies _policies;
    private readonly Random? _seeds;
    private readonly DiversityReranker? _diversity;
    private readonly ImpressionWriter _impressions;
    private ServingState? _state;

    public RecommendationService(ModelCache models, IItemStore items, IEventStore events, ServingOptions options, TimeProvider? time = null, IServingLog? log = null)
    {
        options.Validate();
        Models = models;
        _events = events;
        _options = options;
        _time = time ?? TimeProvider.System;
        _log = log ?? NullServingLog.Instance;
        _policies = new ExplorationPolicies(options);
        _seeds = options.ExplorationSeed is { } seed ? new Random(seed) : null;
        _diversity = options.Diversity.IsOff ? null : new DiversityReranker(options.Diversity);
        _impressions = new ImpressionWriter(events, _log);
        _catalog = new Refreshing<CatalogSnapshot>(
            "catalogue",
            async (_, ct) =>
            {
                var list = new List<Catalog.CatalogItem>();
                await foreach (var item in items.ReadAllAsync(ct))
                {
                    list.Add(item);
                }

                return new CatalogSnapshot(list, _time.GetUtcNow());
            },
            options.CatalogRefreshInterval, options.FirstLoadWait, _time, _log, () => Rebuild());
        _trending = new Refreshing<TrendingEvents>(
            "trending",
            (_, ct) =>
            {
                var now = _time.GetUtcNow();
                var weights = Models.Current?.Recommender.Artifact.Training.Weights ?? new EventWeights();
                return TrendingEvents.ComputeAsync(_events.ReadAllAsync(now - options.TrendingWindow, null, ct), weights, options.TrendingHalfLife, options.MaxTrendingEvents, now, ct)!;
            },
            options.TrendingRefreshInterval, options.FirstLoadWait, _time, _log, () => Rebuild());
        models.Changed += () => Rebuild();
    }

    public ModelCache Models { get; }

    /// <summary>
    /// Called with each personal list's id and the ranked candidates its exploration policy drew from, before it is
    /// returned. Internal, for the closed-loop simulation only (the lab's ServingSimulation):
    /// it knows every candidate's true click probability and values other policies on exactly these candidates. Serving
    /// itself never sets it, so lists, logs and latency are unchanged.
    /// </summary>
    internal Action<string, IReadOnlyList<Candidate>>? CandidatesDrawn { get; set; }

    /// <summary>Reloads model, catalogue and trending now and waits (warm-up, tests, benchmarks).</summary>
    public async Task RefreshAsync()
    {
        await Task.WhenAll(Models.RefreshAsync(), _catalog.RefreshAsync(), _trending.RefreshAsync());
        Rebuild();
    }

    /// <summary>Top items for a user, each with a reason; never throws for a store failure.</summary>
    public async Task<RecommendationList> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default)
    {
        CheckCount(request.Count);
        var state = await StateAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var events = await RecentEventsAsync(request.UserId, now, cancellationToken);
        var served = Recommend(state, request, events, now);
        if (_options.LogImpressions && served.List.Items.Count > 0)
        {
            await _impressions.WriteAsync(request, served, now, cancellationToken);
        }

        return served.List;
    }

    /// <summary>
    /// The list for given recent events (oldest first), without reading the store: the in-process path the
    /// benchmark measures. <see cref="RecommendAsync"/> reads the events and calls this.
    /// </summary>
    public RecommendationList Recommend(RecommendationRequest request, IReadOnlyList<BehaviorEvent> recentEvents)
    {
        CheckCount(request.Count);
        var state = CurrentState();
        return Recommend(state, request, recentEvents, _time.GetUtcNow()).List;
    }

    /// <summary>Items like <paramref name="itemId"/>; null when neither the model nor the catalogue knows the item.</summary>
    public async Task<RecommendationList?> SimilarAsync(string itemId, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count);
        var state = await StateAsync(cancellationToken);
        var result = new List<RecommendedItem>(count);
        var taken = new HashSet<string>(StringComparer.Ordinal) { itemId };
        var category = state.CategoryOf(itemId);
        var model = state.Model;
        var known = false;
        if (model is not null && model.Recommender.Artifact.Model.Items.TryGetIndex(itemId, out var index))
        {
            known = true;
            var scorer = model.Recommender.Artifact.Model;
            var n = scorer.Items.Count;
            var buffer = ArrayPool<double>.Shared.Rent(n);
            try
            {
                var scores = buffer.AsSpan(0, n);
                scorer.Score([index], [1.0], scores);
                scores[index] = double.NegativeInfinity;
                Mask(state, scores, -1);
                var title = state.TitleOf(itemId);
                foreach (var j in TopK.Select(scores, count))
                {
                    if (!(scores[j] > 0))
                    {
                        break;
                    }

                    var id = scorer.Items[j];
                    taken.Add(id);
                    result.Add(Item(state, id, scores[j], $"similar to {title}", ReasonKinds.Similar, itemId));
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }

        if (!known && !state.Catalog.ById.ContainsKey(itemId))
        {
            return null;
        }

        var shares = new Dictionary<int, double>();
        if (category >= 0)
        {
            shares[category] = 1;
        }

        FillTrending(state, result, count, -1, shares, taken);
        return List(state, result);
    }

    /// <summary>Trending items (recent activity with time decay, plus the model's popularity), optionally in one category.</summary>
    public async Task<RecommendationList> TrendingAsync(string? category, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count);
        var state = await StateAsync(cancellationToken);
        var result = new List<RecommendedItem>(count);
        if (ResolveCategory(state, category) is var c && c != NoSuchCategory)
        {
            FillTrending(state, result, count, c, [], new HashSet<string>(StringComparer.Ordinal));
        }

        return List(state, result);
    }

    private const int NoSuchCategory = -2;

    /// <summary>
    /// One personal list: fixed new-arrival slots, and the rest drawn by the exploration policy from the model's ranked
    /// candidates (trending fills in when the model has too few) plus a pool of the next best to explore from.
    /// </summary>
    private ServedList Recommend(ServingState state, RecommendationRequest request, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now)
    {
        var count = request.Count;
        var result = new List<RecommendedItem>(count);
        var category = ResolveCategory(state, request.Category);
        if (category == NoSuchCategory)
        {
            return new ServedList(List(state, result), [], new ListShape("", 0, 0, 0, 0));
        }

        var weights = state.Model?.Recommender.Artifact.Training.Weights ?? new EventWeights();
        var (excluded, strongest) = Exclusions(events, weights);

        // The user's categories matter only for new arrivals and trending fill: computed when first needed.
        Dictionary<int, double>? shares = null;
        Dictionary<int, double> Shares() => shares ??= CategoryShares(state, events, request.SessionId, weights);

        var newArrivals = NewArrivals(state, Math.Min(_options.NewArrivalSlots, count), category, Shares, excluded, now);
        // From here on the exclusions also hold what the list already took (one set, no copy).
        var taken = excluded;
        foreach (var item in newArrivals)
        {
            taken.Add(item.ItemId);
        }

        var room = count - newArrivals.Count;
        var explore = request.Explore ?? _options.Explore;
        var policy = _policies.At(explore);
        // The policy sees the list's length plus a pool of the next best candidates to explore from; with diversity
        // re-ranking on, more of the model's best are read and re-ranked into that order first.
        var wanted = room + (explore > 0 && room > 0 ? _options.ExplorationPool : 0);
        var diversify = _diversity is not null && room > 1;
        var read = diversify ? Math.Max(wanted, _options.Diversity.Candidates) : wanted;
        var candidates = new List<RecommendedItem>(read);
        var modelIndex = new List<int>(read);
        var random = NextRandom();
        var tail = new TailSample(wanted > room ? _options.ExplorationTailSample : 0);
        ReasonFinder? reasons = null;
        if (state.Model is { } model)
        {
            reasons = AddFromModel(state, model.Recommender, events, now, read, category, strongest, taken, candidates, modelIndex, tail, random);
        }

        if (candidates.Count < wanted)
        {
            FillTrending(state, candidates, wanted, category, Shares(), taken);
            while (modelIndex.Count < candidates.Count)
            {
                modelIndex.Add(-1);
            }
        }

        if (diversify)
        {
            (candidates, modelIndex) = Diversify(state, candidates, modelIndex, room, wanted);
        }

        // The long-tail sample joins the pool last; each of its items was included with probability m/M.
        var nearCount = candidates.Count;
        candidates.AddRange(tail.Items);
        modelIndex.AddRange(tail.ModelIndex);

        var ranked = new Candidate[candidates.Count];
        var rankOf = new Dictionary<string, int>(candidates.Count, StringComparer.Ordinal);
        for (var i = 0; i < ranked.Length; i++)
        {
            var c = candidates[i];
            var feedback = state.Trending.Feedback.GetValueOrDefault(c.ItemId);
            // Tail items never count as new: the new-item boost then depends only on the deterministic near pool, which
            // keeps every propensity exact (inclusion probability × the policy's probability given the pool).
            ranked[i] = new Candidate(c.ItemId, c.Score, i < nearCount && IsNew(state, c.ItemId, now), feedback.Clicks, feedback.Impressions);
            rankOf[c.ItemId] = i;
        }

        var slots = policy.Select(ranked, room, random);
        var head = Math.Min(room, ranked.Length);
        var poolNew = 0;
        for (var i = head; i < ranked.Length; i++)
        {
            poolNew += ranked[i].IsNew ? 1 : 0;
        }

        var served = new List<ServedSlot>(count);
        foreach (var slot in slots)
        {
            var rank = rankOf[slot.ItemId];
            var item = candidates[rank];
            if (modelIndex[rank] >= 0 && reasons is not null)
            {
                item = reasons.Explain(state, item, modelIndex[rank]);
            }

            var inclusion = rank < nearCount ? 1 : tail.Inclusion;
            result.Add(item with { SlotKind = slot.Kind.WireName(), Propensity = slot.Propensity * inclusion });
            served.Add(new ServedSlot(rank, ranked[rank].IsNew, inclusion));
        }

        // New arrivals are shown by rule, not drawn: they learn what the model cannot know yet, so they are explore slots
        // with propensity 1 under any exploration rate.
        foreach (var item in newArrivals)
        {
            result.Add(item with { SlotKind = SlotKind.Explore.WireName() });
            served.Add(new ServedSlot(-1, true, 1));
        }

        var list = List(state, result) with { Policy = policy.Name };
        CandidatesDrawn?.Invoke(list.RecommendationId, ranked);
        return new ServedList(list, served, new ListShape(policy.Name, Math.Round(Math.Clamp(explore, 0, 1), 2), head, ranked.Length - head, poolNew));
    }

    /// <summary>
    /// The exploit list (<paramref name="room"/> items) picked by the diversity re-ranker (MMR over categories, category
    /// cap, popularity penalty: the cap counts against the list's length), then the explore pool: the best of the rest
    /// in the model's order, up to <paramref name="wanted"/> in all.
    /// </summary>
    private (List<RecommendedItem>, List<int>) Diversify(ServingState state, List<RecommendedItem> candidates, List<int> modelIndex, int room, int wanted)
    {
        var artifact = state.Model?.Recommender.Artifact;
        double Popularity(int i) =>
            artifact is null ? 0
            : modelIndex[i] >= 0 ? artifact.ItemPopularity[modelIndex[i]]
            : artifact.Model.Items.TryGetIndex(candidates[i].ItemId, out var j) ? artifact.ItemPopularity[j] : 0;
        var all = Enumerable.Range(0, candidates.Count).ToArray();
        var head = _diversity!.Rerank(all, Math.Min(room, candidates.Count), i => candidates[i].Score, i => candidates[i].Category, Popularity);
        var inHead = head.ToHashSet();
        var order = head.Concat(all.Where(i => !inHead.Contains(i))).Take(wanted).ToList();
        return (order.Select(i => candidates[i]).ToList(), order.Select(i => modelIndex[i]).ToList());
    }

    /// <summary>A candidate is new when the catalogue says it was created within the new-arrival window.</summary>
    private bool IsNew(ServingState state, string itemId, DateTimeOffset now) =>
        state.Catalog.ById.TryGetValue(itemId, out var item) && item.CreatedAt is { } created && created > now - _options.NewArrivalWindow;

    /// <summary>A fresh draw source per list: seeded from one sequence when a seed is configured, so lists are reproducible.</summary>
    private Random NextRandom()
    {
        if (_seeds is null)
        {
            return new Random(Random.Shared.Next());
        }

        lock (_seeds)
        {
            return new Random(_seeds.Next());
        }
    }

    /// <summary>
    /// The model's best <paramref name="wanted"/> candidates into <paramref name="candidates"/> (reasons left for
    /// <see cref="ReasonFinder.Explain"/>, asked only for the items served); <paramref name="modelIndex"/> gets each one's
    /// index in the model.
    /// </summary>
    private static ReasonFinder? AddFromModel(
        ServingState state, Recommender recommender, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now, int wanted, int category,
        Dictionary<string, EventType> strongest, HashSet<string> taken, List<RecommendedItem> candidates, List<int> modelIndex,
        TailSample tail, Random random)
    {
        var profile = recommender.Affinities(events, now);
        if (profile.Items.Length == 0 || wanted <= 0)
        {
            return null;
        }

        var scorer = recommender.Artifact.Model;
        var n = scorer.Items.Count;
        var buffer = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var scores = buffer.AsSpan(0, n);
            scorer.Score(profile.Items, profile.Affinities, scores);
            Mask(state, scores, category);
            foreach (var id in taken)
            {
                if (scorer.Items.TryGetIndex(id, out var i))
                {
                    scores[i] = double.NegativeInfinity;
                }
            }

            foreach (var j in TopK.Select(scores, wanted))
            {
                if (!(scores[j] > 0))
                {
                    break;
                }

                var id = scorer.Items[j];
                taken.Add(id);
                candidates.Add(Item(state, id, scores[j], "recommended for you", ReasonKinds.History));
                modelIndex.Add(j);
                scores[j] = double.NegativeInfinity;
            }

            tail.Draw(scores, state.ModelExposed, random);
            foreach (var j in tail.ModelIndex)
            {
                tail.Items.Add(Item(state, scorer.Items[j], scores[j], "something different to discover", ReasonKinds.Discovery));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }

        return new ReasonFinder(recommender, profile.Items, profile.Affinities, strongest);
    }

    /// <summary>Unavailable items and, with a category filter, items of other categories get −∞.</summary>
    private static void Mask(ServingState state, Span<double> scores, int category)
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

    /// <summary>
    /// Trending items into <paramref name="result"/> until it holds <paramref name="count"/>: score × (1 + boost × share of
    /// the item's category), so the categories a session shows come first; only <paramref name="category"/> when ≥ 0.
    /// </summary>
    private void FillTrending(ServingState state, List<RecommendedItem> result, int count, int category, Dictionary<int, double> shares, HashSet<string> taken)
    {
        var needed = count - result.Count;
        if (needed <= 0)
        {
            return;
        }

        // Exact top of the shaped order: the best `needed` of the overall list, and of each boosted category's list.
        var candidates = new List<TrendItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Take(TrendItem[] list)
        {
            var found = 0;
            foreach (var t in list)
            {
                if (found == needed)
                {
                    break;
                }

                if (!taken.Contains(t.ItemId))
                {
                    found++;
                    if (seen.Add(t.ItemId))
                    {
                        candidates.Add(t);
                    }
                }
            }
        }

        if (category >= 0)
        {
            Take(state.TrendByCategory[category]);
        }
        else
        {
            Take(state.TrendAll);
            foreach (var c in shares.Keys)
            {
                Take(state.TrendByCategory[c]);
            }
        }

        double Shaped(TrendItem t) => t.Score * (1 + (_options.CategoryBoost * (t.Category >= 0 ? shares.GetValueOrDefault(t.Category) : 0)));
        foreach (var t in candidates.OrderByDescending(Shaped).ThenBy(t => t.ItemId, StringComparer.Ordinal).Take(needed))
        {
            taken.Add(t.ItemId);
            var name = state.CategoryName(t.Category);
            var reason = !t.Recent ? "popular" : name is null ? "trending" : $"trending in {name}";
            result.Add(Item(state, t.ItemId, Shaped(t), reason, t.Recent ? ReasonKinds.Trending : ReasonKinds.Popular));
        }
    }

    /// <summary>Newest catalogue items the model does not know yet, in the requested or the user's categories.</summary>
    private List<RecommendedItem> NewArrivals(ServingState state, int slots, int category, Func<Dictionary<int, double>> shares, HashSet<string> excluded, DateTimeOffset now)
    {
        var result = new List<RecommendedItem>();
        if (slots <= 0)
        {
            return result;
        }

        var since = now - _options.NewArrivalWindow;
        foreach (var item in state.NewArrivals)
        {
            if (result.Count == slots || item.CreatedAt < since)
            {
                break;
            }

            var fits = category >= 0 ? item.Category == category : shares().Count == 0 || shares().ContainsKey(item.Category);
            if (fits && item.CreatedAt <= now && !excluded.Contains(item.ItemId))
            {
                var age = Math.Max(0, (now - item.CreatedAt).TotalSeconds);
                result.Add(Item(state, item.ItemId, Math.Pow(0.5, age / _options.NewArrivalWindow.TotalSeconds), "new arrival", ReasonKinds.NewArrival));
            }
        }

        return result;
    }

    /// <summary>
    /// In one pass over the events: the items to leave out (dismissed always; purchased unless repeat purchases are
    /// wanted; everything else taken up if configured) and the strongest thing the user did with each item.
    /// </summary>
    private (HashSet<string> Excluded, Dictionary<string, EventType> Strongest) Exclusions(IReadOnlyList<BehaviorEvent> events, EventWeights weights)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var strongest = new Dictionary<string, EventType>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var leaveOut = e.Type switch
            {
                EventType.Dismiss => true,
                EventType.Purchase => !_options.AllowRepeatPurchases,
                EventType.Impression => false,
                _ => _options.ExcludeSeen && weights.WeightOf(e.Type, e.Value) > 0,
            };
            if (leaveOut)
            {
                excluded.Add(e.ItemId);
            }

            var rank = Rank(e.Type);
            if (rank > 0)
            {
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(strongest, e.ItemId, out var exists);
                if (!exists || rank > Rank(slot))
                {
                    slot = e.Type;
                }
            }
        }

        return (excluded, strongest);
    }

    /// <summary>
    /// Which categories the user is into now: the events of the given session when it has any, else all recent
    /// events; category → share of the event weight (top 5 categories).
    /// </summary>
    private static Dictionary<int, double> CategoryShares(ServingState state, IReadOnlyList<BehaviorEvent> events, string? sessionId, EventWeights weights)
    {
        var inSession = sessionId is not null && events.Any(e => e.SessionId == sessionId);
        var totals = new Dictionary<int, double>();
        var sum = 0.0;
        foreach (var e in events)
        {
            if (inSession && e.SessionId != sessionId)
            {
                continue;
            }

            var w = weights.WeightOf(e.Type, e.Value);
            var c = state.CategoryOf(e.ItemId);
            if (w > 0 && double.IsFinite(w) && c >= 0)
            {
                totals[c] = totals.GetValueOrDefault(c) + w;
                sum += w;
            }
        }

        return totals.Count <= 5
            ? totals.ToDictionary(p => p.Key, p => p.Value / sum)
            : totals.OrderByDescending(p => p.Value).Take(5).ToDictionary(p => p.Key, p => p.Value / sum);
    }

    private static int Rank(EventType t) => t switch
    {
        EventType.Purchase => 5,
        EventType.AddToCart => 4,
        EventType.Rating => 3,
        EventType.Click => 2,
        EventType.View => 1,
        _ => 0,
    };

    private static RecommendedItem Item(ServingState state, string itemId, double score, string reason, string kind, string? basedOn = null)
    {
        state.Catalog.ById.TryGetValue(itemId, out var item);
        return new RecommendedItem(itemId, Math.Round(score, 6), reason, kind, basedOn, item?.Title, item?.Category);
    }

    private static RecommendationList List(ServingState state, List<RecommendedItem> items) =>
        new(
            "rec-" + Guid.CreateVersion7().ToString("N"),
            state.Model is null ? ServingSources.PopularityFallback : ServingSources.Model,
            state.Model?.Version,
            items);

    private static int ResolveCategory(ServingState state, string? category) =>
        string.IsNullOrEmpty(category) ? -1 : state.CategoryIds.TryGetValue(category, out var c) ? c : NoSuchCategory;

    private static void CheckCount(int count)
    {
        if (count is < 1 or > ServingOptions.MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be 1 to {ServingOptions.MaxCount}.");
        }
    }

    /// <summary>The user's newest events within the window, oldest first; none when the store fails (the list degrades to trending).</summary>
    private async Task<IReadOnlyList<BehaviorEvent>> RecentEventsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = new Queue<BehaviorEvent>();
        try
        {
            await foreach (var e in _events.ReadUserEventsAsync(userId, now - _options.RecentEventsWindow, cancellationToken))
            {
                // Impressions are what we showed, not what the shopper did: they must not push real events out of the window.
                if (e.Type == EventType.Impression)
                {
                    continue;
                }

                if (recent.Count == _options.MaxRecentEvents)
                {
                    recent.Dequeue();
                }

                recent.Enqueue(e);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.Failed("events", e);
            return [];
        }

        return [.. recent];
    }

    private async ValueTask<ServingState> StateAsync(CancellationToken cancellationToken)
    {
        var model = Models.GetAsync(cancellationToken);
        var catalog = _catalog.GetAsync(cancellationToken);
        var trending = _trending.GetAsync(cancellationToken);
        await model;
        await catalog;
        await trending;
        return CurrentState();
    }

    /// <summary>
    /// The joined state; a request builds it only when there is none yet. After a swap the background task that
    /// loaded the change rebuilds it, and requests meanwhile keep the previous state rather than wait.
    /// </summary>
    private ServingState CurrentState() => Volatile.Read(ref _state) ?? Rebuild();

    private ServingState Rebuild()
    {
        lock (_rebuild)
        {
            var model = Models.Current;
            var catalog = _catalog.Value ?? CatalogSnapshot.Empty;
            var trending = _trending.Value ?? TrendingEvents.Empty;
            var state = Volatile.Read(ref _state);
            if (state is null || !state.IsFor(model, catalog, trending))
            {
                state = new ServingState(model, catalog, trending, _options.PopularityPrior);
                Volatile.Write(ref _state, state);
            }

            return state;
        }
    }
}
