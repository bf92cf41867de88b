using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// The <see cref="ServingState"/> requests read: the model (<see cref="ModelCache"/>), the catalogue and trending, each
/// reloaded in the background on its own interval (the catalogue incrementally, see <see cref="CatalogRefresh"/>), joined into one immutable state whenever one of them changes.
/// </summary>
internal sealed class ServingStateCache
{
    private readonly ServingOptions _options;
    private readonly Refreshing<CatalogSnapshot> _catalog;
    private readonly Refreshing<TrendingEvents> _trending;
    private readonly Lock _rebuild = new();
    private ServingState? _state;

    public ServingStateCache(ModelCache models, IItemStore items, IEventStore events, IServedListStore lists, ServingOptions options, TimeProvider time, ILogger logger)
    {
        Models = models;
        _options = options;
        _catalog = new Refreshing<CatalogSnapshot>(
            "catalogue",
            new CatalogRefresh(items, time, options.CatalogFullReadInterval).LoadAsync,
            options.CatalogRefreshInterval, options.FirstLoadWait, time, logger, LogLevel.Debug, () => Rebuild());
        _trending = new Refreshing<TrendingEvents>(
            "trending",
            async (_, ct) =>
            {
                var now = time.GetUtcNow();
                var weights = Models.Current?.Recommender.Artifact.Training.Weights ?? new EventWeights();
                var from = now - options.TrendingWindow;
                var recent = await TrendingEvents.ComputeAsync(
                    events.ReadNewestAsync(from, options.MaxTrendingEvents, ct), lists.ReadNewestAsync(from, options.MaxTrendingEvents, ct),
                    weights, options.TrendingHalfLife, options.MaxTrendingEvents, now, ct);
                return await StoredPopularity.WidenAsync(recent, Models.Current is not null, events, weights, options, now, ct);
            },
            options.TrendingRefreshInterval, options.FirstLoadWait, time, logger, LogLevel.Debug, () => Rebuild());
        models.Changed += () => Rebuild();
    }

    public ModelCache Models { get; }

    /// <summary>Reloads model, catalogue and trending now and waits (warm-up, tests, benchmarks).</summary>
    public async Task RefreshAsync()
    {
        await Task.WhenAll(Models.RefreshAsync(), _catalog.RefreshAsync(), _trending.RefreshAsync());
        Rebuild();
    }

    /// <summary>The state to serve from; starts the reloads that are due and waits only for a first load.</summary>
    public async ValueTask<ServingState> GetAsync(CancellationToken cancellationToken)
    {
        var model = Models.GetAsync(cancellationToken);
        var catalog = _catalog.GetAsync(cancellationToken);
        var trending = _trending.GetAsync(cancellationToken);
        await model;
        await catalog;
        await trending;
        return Current;
    }

    /// <summary>
    /// The joined state; a request builds it only when there is none yet. After a swap the background task that
    /// loaded the change rebuilds it, and requests meanwhile keep the previous state rather than wait.
    /// </summary>
    public ServingState Current => Volatile.Read(ref _state) ?? Rebuild();

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
