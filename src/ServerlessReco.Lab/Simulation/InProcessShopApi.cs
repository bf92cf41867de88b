using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.ClickTraining;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The product in this process over the run's stores: ingestion (the JSON bodies a client posts, <see cref="IngestionBodies"/>),
/// the retrain service with its gate, and the recommendation service with the policy's serving settings, all on a
/// <see cref="SimulationClock"/> that stands still within a day.
/// </summary>
public sealed class InProcessShopApi : IShopApi
{
    private readonly SimulationClock _clock;
    private readonly IngestionService _ingestion;
    private readonly RetrainService _retrain;
    private readonly LastServedList _drawnFrom = new();
    private readonly RecommendationService _service;

    /// <param name="contentModel">What the retrain embeds item texts with (the product's content model), or null for none.</param>
    public InProcessShopApi(SimulationStores stores, ServingOptions serving, DateTimeOffset start, RetrainOptions? retrain = null, IItemEmbedder? contentModel = null)
    {
        ArgumentNullException.ThrowIfNull(stores);
        _clock = new SimulationClock(start);
        _ingestion = new IngestionService(stores.Events, stores.Items, _clock, RetentionPolicy.Forever);
        var content = contentModel is null ? null : new CatalogEmbedding(stores.Items, contentModel, stores.Models, new ContentOptions());
        _retrain = new RetrainService(
            stores.Changes, stores.ServedLists, new ModelRegistry(stores.Models, _clock), retrain ?? new RetrainOptions(), _clock, NullLogger<RetrainService>.Instance, content,
            stores.Items, new LightGbmClickTrainer()); // as every host composes it: the click model trains at each retrain
        _service = new RecommendationService(new ModelCache(stores.Models, serving, _clock), stores.Items, stores.Events, stores.ServedLists, serving, _clock, observer: _drawnFrom);
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    public Task BeginDayAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        _clock.Set(day);
        return Task.CompletedTask;
    }

    public Task UpsertItemsAsync(IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        IngestionBodies.UpsertAsync(_ingestion, items, createdAt, cancellationToken);

    public Task RecordEventsAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken) =>
        IngestionBodies.RecordAsync(_ingestion, events, cancellationToken);

    public async Task<ShopRetrain> RetrainAsync(CancellationToken cancellationToken)
    {
        var result = await _retrain.RunAsync(cancellationToken).ConfigureAwait(false);
        var rate = result.Record?.ExplorationRate is { } choice ? $"; exploration rate {choice.PreviousRate:0.00} → {choice.Rate:0.00} ({choice.Reason})" : string.Empty;
        return new ShopRetrain(result.Version is not null, result.Outcome == RetrainOutcome.Promoted, result + rate)
        {
            Rate = result.Record?.ExplorationRate,
            ClickModel = result.Record?.ClickModel,
        };
    }

    public Task RefreshAsync(CancellationToken cancellationToken) => _service.RefreshAsync();

    public async Task<ShopListResponse> RecommendAsync(string userId, int count, CancellationToken cancellationToken)
    {
        var list = await _service.RecommendAsync(new RecommendationRequest(userId, count), cancellationToken).ConfigureAwait(false);
        return new ShopListResponse(list.RecommendationId, list.Items, _drawnFrom.Candidates) { ModelVersion = list.ModelVersion };
    }
}
