using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// The stages of one personal list, in order, from a serving state and the user's recent events: the history's
/// exclusions, new arrivals, the model's candidates, content and trending fill, diversity, the unknown pool, then
/// exploration's draw. No store and no sink: <see cref="RecommendationService"/> reads the state and the events and
/// sends the list on; the retrain's content challenger (<see cref="Training.ContentChallenge"/>) serves its hold-out
/// through the same stages, so what it measures is what a shopper would be served.
/// </summary>
internal sealed class PersonalListStages
{
    /// <summary>How many items only content can score join a list's explore pool, on their content score.</summary>
    private const int ContentPoolSize = 5;

    /// <summary>How many catalogue items the model does not know an exploring list's unknown pool holds at most.</summary>
    private const int UnknownPoolSize = 200;

    private readonly ServingOptions _options;
    private readonly HistoryExclusions _exclusions;
    private readonly NewArrivalSource _newArrivals;
    private readonly TrendingCandidateSource _trending;
    private readonly DiversityStage? _diversity;
    private readonly ExplorationStage _exploration;
    private readonly ClickModelStage _clicks;

    /// <param name="shopperKey">The key the served-list store keeps a shopper under (their pseudonym), which the click model's counts use; null: the id itself.</param>
    public PersonalListStages(ServingOptions options, LiveExposure live, Func<string, string>? shopperKey = null)
    {
        _options = options;
        Live = live;
        _exclusions = new HistoryExclusions(options);
        _newArrivals = new NewArrivalSource(options, live);
        _trending = new TrendingCandidateSource(options);
        _diversity = options.Diversity.IsOff ? null : new DiversityStage(options.Diversity);
        _exploration = new ExplorationStage(options, live);
        _clicks = new ClickModelStage(options, shopperKey);
    }

    /// <summary>What this instance showed since the state's feedback was read: exploration reads it, the service records into it.</summary>
    public LiveExposure Live { get; }

    /// <summary>
    /// One personal list: fixed new-arrival slots, and the rest drawn by the exploration policy from the model's best
    /// candidates (trending fills in when the model has too few), re-ranked for diversity when that is on, plus a pool
    /// of the next best and a long-tail sample to explore from.
    /// </summary>
    /// <param name="fatigued">Items the shopper was shown too often without taking them up (<see cref="ImpressionFatigue"/>): left out of every slot.</param>
    public ServedList Serve(
        ServingState state, RecommendationRequest request, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now, IReadOnlySet<string>? fatigued = null)
    {
        var category = CatalogRules.ResolveCategory(state, request.Category);
        if (category == CatalogRules.NoSuchCategory)
        {
            return new ServedList(request, state.ListOf([]), [], ListShape.None, [], now);
        }

        var excludeSeen = _options.ExcludeSeen ?? !(state.Model?.Blend?.WeightsFor(events, request.SessionId, now).Repeat > 0);
        var list = new ListContext(state, events, now, category, request.SessionId, _exclusions.Of(events, state.Weights, excludeSeen));
        if (fatigued is { Count: > 0 })
        {
            list.Taken.UnionWith(fatigued);
        }
        var requested = request.Who.ChoosesExploration ? request.Explore : null;
        // Explore 0 is the model's order alone: no explore slot and no new-arrival slot either.
        var newArrivals = _exploration.RateOf(requested, state) > 0 ? _newArrivals.Take(list, Math.Min(_options.NewArrivalSlots, request.Count)) : [];
        var plan = _exploration.Plan(requested, state, request.Count - newArrivals.Count);
        var diversify = _diversity is not null && plan.Room > 1;
        var wanted = diversify ? _diversity!.CandidatesFor(plan.Wanted) : plan.Wanted;
        var ranker = _clicks.For(list);
        var model = ModelCandidateSource.Take(list, ranker is null ? wanted : _clicks.CandidatesFor(wanted), plan.TailSize, plan.Random);
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

        if (ranker is not null)
        {
            candidates = _clicks.Rerank(ranker, list, request.UserId, candidates, wanted);
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
            unknown = UnknownCandidateSource.Take(list, Live, UnknownPoolSize);
        }
        else
        {
            candidates.AddRange(byContent);
        }

        var served = _exploration.Serve(list, request, plan, candidates, model, newArrivals, unknown);
        return served with { List = served.List with { Ranker = ranker is null ? ClickModelStage.None : state.Model!.Version } };
    }
}
