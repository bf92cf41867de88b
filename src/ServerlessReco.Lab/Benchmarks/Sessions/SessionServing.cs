using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Benchmarks.Sessions;

/// <summary>
/// The product as a shop would run it on session data, in this process: the training events stored in the embedded
/// store, one retrain through <see cref="RetrainService"/> (its model choice, gate and session step), and the
/// <see cref="RecommendationService"/> that serves the promoted model. <see cref="Recommend"/> is the list the service
/// would serve a shopper whose history is the session so far (exploration off, no new-arrival slot: the ranking alone).
/// </summary>
public sealed class SessionServing : IDisposable
{
    private readonly EmbeddedSimulationStores _stores = new();
    private RecommendationService? _service;

    /// <summary>What the retrain did and chose, and how long it took.</summary>
    public string Retrain { get; private set; } = "";

    public double TrainingSeconds { get; private set; }

    /// <summary>Processor seconds of this process during the retrain, all cores (see <see cref="SessionScore.TrainingCpuSeconds"/>).</summary>
    public double TrainingCpuSeconds { get; private set; }

    public BlendChoice? Blend { get; private set; }

    /// <param name="now">When the retrain runs and the lists are served; null: a minute after the newest event.</param>
    public async Task TrainAsync(IReadOnlyList<BehaviorEvent> events, IReadOnlyList<CatalogItem> catalogue, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        var stores = _stores.Stores;
        foreach (var batch in events.Chunk(1000))
        {
            await stores.Events.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (catalogue.Count > 0)
        {
            await stores.Items.UpsertAsync(catalogue, cancellationToken).ConfigureAwait(false);
        }

        var clock = new SimulationClock(now ?? events.Max(e => e.Timestamp).AddMinutes(1));
        var registry = new ModelRegistry(stores.Models, clock);
        var retrain = new RetrainService(stores.Changes, stores.ServedLists, registry, new RetrainOptions(), clock, NullLogger<RetrainService>.Instance, items: stores.Items);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await retrain.RunAsync(cancellationToken).ConfigureAwait(false);
        TrainingSeconds = watch.Elapsed.TotalSeconds;
        TrainingCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Retrain = $"{result.Outcome}: {result.Reason}";
        if (result.Outcome != RetrainOutcome.Promoted && result.Version is { } version)
        {
            // The benchmark measures the lists of the trained model: a gate that kept it out is reported, then overruled.
            await registry.PromoteAsync(version, "sessions benchmark", await registry.GetCurrentAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var options = new ServingOptions { Explore = 0, NewArrivalSlots = 0, LogServedLists = false };
        _service = new RecommendationService(new ModelCache(stores.Models, options, clock), stores.Items, stores.Events, stores.ServedLists, options, clock);
        await _service.RefreshAsync().ConfigureAwait(false);
        Blend = _service.Models.Current?.Blend;
    }

    /// <summary>The served top <paramref name="count"/> for a shopper whose events are <paramref name="history"/> (oldest first).</summary>
    public IReadOnlyList<string> Recommend(IReadOnlyList<BehaviorEvent> history, int count)
    {
        var service = _service ?? throw new InvalidOperationException("Train first.");
        var user = history[^1].UserId;
        return [.. service.Recommend(new RecommendationRequest(user, count, SessionId: history[^1].SessionId, Explore: 0), history).Items.Select(i => i.ItemId)];
    }

    public void Dispose() => _stores.Dispose();
}
