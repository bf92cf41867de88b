using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Training;

/// <summary>
/// One retrain run: bring the training segments up to date from the store's change feed (only what was stored since
/// the last run is read), skip when their rows have not changed since the last run; otherwise read the training window,
/// split off each user's newest items, score a challenger against the champion and popularity on them, train the
/// challenger on the whole window, decide, publish it as a new version (promoted only if the gate lets it through),
/// and prune old versions.
/// </summary>
/// <remarks>
/// Every write is to a fresh version name or conditional on the pointer read before training, so a crash anywhere
/// leaves the champion serving and a rerun is safe.
/// </remarks>
public sealed partial class RetrainService(
    IEventChangeFeed changes,
    IServedListStore lists,
    ModelRegistry registry,
    RetrainOptions options,
    TimeProvider clock,
    ILogger<RetrainService> logger,
    CatalogEmbedding? content = null,
    IItemStore? items = null,
    Clicks.IClickModelTrainer? clickTrainer = null)
{
    private readonly TrainingSegments _segments = new(changes, registry.Store, options.Segments(), clock);
    private readonly Clicks.ClickLog _clicks = new(registry.Store);
    private IRetrainLease? _lease;

    public RetrainOptions Options => options;

    /// <summary>The run itself, once the lease is held (<see cref="RunAsync"/>).</summary>
    private async Task<RetrainResult> RunLeasedAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();

        // The champion and its entity tag, read before anything else: the promotion is conditional on it.
        var champion = await registry.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var rows = await _segments.UpdateAsync(cancellationToken).ConfigureAwait(false);
        if (await UnchangedSinceLastRunAsync(rows, cancellationToken).ConfigureAwait(false) is { } unchanged)
        {
            return Skip(unchanged, champion);
        }

        var window = await ReadAsync(started, rows, cancellationToken).ConfigureAwait(false);
        if (TooFewEvents(window) is { } tooFew)
        {
            await registry.WriteStateAsync(new RetrainState { RanAt = started, Watermark = window.Watermark, Outcome = "skipped" }, cancellationToken).ConfigureAwait(false);
            return Skip(tooFew, champion);
        }

        var exploration = ReportExploration(window, started);
        var holdOut = Split(window);
        var (scores, fitted) = await ScoreAsync(window, holdOut, champion, cancellationToken).ConfigureAwait(false);
        var sessions = await SessionSignalsStage.BuildAsync(
            _segments.ReadAsync(window.Rows, window.From, cancellationToken), window.Data, options.Trainer with { Model = scores.ChallengerKind }, items, logger, cancellationToken).ConfigureAwait(false);
        var (built, contentDecision) = await EmbedAsync(cancellationToken).ConfigureAwait(false);
        // The hold-out served as the version would serve it, for the challengers that change what a list holds: fitted and read once, when first needed.
        HoldOutLists? served = null;
        async Task<HoldOutLists> ServedAsync() => served ??= await HoldOutListsAsync(window, holdOut, fitted, scores.ChallengerKind, sessions?.Blend, cancellationToken).ConfigureAwait(false);
        (var embedded, contentDecision) = await ChallengeContentAsync(built, contentDecision, holdOut, ServedAsync, cancellationToken).ConfigureAwait(false);
        var (clickModel, clickDecision) = await TrainClickModelAsync(window.ClickRows, cancellationToken).ConfigureAwait(false);
        (clickModel, clickDecision) = await ChallengeClickModelAsync(clickModel, clickDecision, built, embedded, holdOut, ServedAsync, cancellationToken).ConfigureAwait(false);
        (served, fitted) = (null, null); // the hold-out's model is done with before the whole window's is trained: never two at once
        var challenger = Train(window, scores.ChallengerKind, started, cancellationToken);
        RetrainLog.Scores(logger, scores);
        var rate = await ChooseExplorationRateAsync(window, champion, started, cancellationToken).ConfigureAwait(false);
        var decision = RetrainGate.Decide(scores, options);
        var record = Record(challenger, window, scores, decision, exploration) with { Content = contentDecision, ClickModel = clickDecision, Blend = BlendRecord.Of(sessions), ExplorationRate = rate };
        var (outcome, reason) = await PublishAsync(
            challenger with { Content = embedded, Sessions = sessions, Clicks = clickModel, Rate = rate }, record, decision, champion, cancellationToken).ConfigureAwait(false);
        await registry.WriteStateAsync(
            new RetrainState { RanAt = started, Watermark = window.Watermark, Version = challenger.Version, Outcome = outcome.ToString(), ContentPending = built?.Pending ?? 0 },
            cancellationToken).ConfigureAwait(false);
        var pruned = await PruneAsync(cancellationToken).ConfigureAwait(false);
        return new RetrainResult(outcome, reason, challenger.Version, champion?.Pointer.Version, record, pruned) { Content = built };
    }

    /// <summary>Why to skip when the training rows are those of the last run (same segment key), or null.</summary>
    private async Task<string?> UnchangedSinceLastRunAsync(SegmentManifest rows, CancellationToken cancellationToken)
    {
        var state = await registry.ReadStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is null || state.Watermark.Segments != rows.Key || state.ContentPending > 0)
        {
            return null; // new rows, or item texts the last run's embedding budget did not reach
        }

        logger.LogInformation("Retrain skipped: nothing changed since {LastRun} ({EventCount} events, newest {NewestEvent})", state.RanAt, rows.Events, state.Watermark.NewestEvent);
        return RetrainReasons.NothingChanged(state, rows.Events);
    }

    /// <summary>The read step: the training window as a matrix, from the segments, counted, with the lists served in it and the rewards they earned.</summary>
    private async Task<TrainingWindow> ReadAsync(DateTimeOffset started, SegmentManifest rows, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = options.WindowDays > 0 ? started.AddDays(-options.WindowDays) : null;
        var reading = new EventTally();
        var exploration = new ExplorationLog.Builder();
        var clicks = await BeginClickRowsAsync(started, from, cancellationToken).ConfigureAwait(false);
        // One read of the served-list store: the click rows' new period starts at or after the window's start, so the
        // window's lists hold it (the builder keeps only the lists of its period).
        await foreach (var list in lists.ReadAsync(from ?? DateTimeOffset.MinValue, null, cancellationToken).ConfigureAwait(false))
        {
            exploration.Add(list);
            clicks?.Add(list);
        }

        var events = _segments.ReadAsync(rows, from, cancellationToken);
        var data = await InteractionMatrixBuilder.BuildAsync(
            reading.Count(exploration.Observe(clicks?.Observe(events, cancellationToken) ?? events, cancellationToken), cancellationToken), options.Trainer.Data, null, cancellationToken).ConfigureAwait(false);
        var clickRows = await FinishClickRowsAsync(clicks, from, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "Retrain read {Events} events ({Segments} segments, {SegmentBytes} bytes) from {Users} users on {Items} items, {Interactions} interactions, window {WindowFrom} to {WindowTo}, newest event {NewestEvent}",
            reading.Events, rows.Segments.Count, rows.Bytes, data.UserCount, data.ItemCount, data.NonZeros, data.Summary.From, data.Summary.To, reading.Newest);
        var watermark = new RetrainWatermark(reading.Newest, reading.Events) { Segments = rows.Key };
        return new TrainingWindow(data, reading.Events, from, watermark, exploration.Build(), rows, clickRows);
    }

    private string? TooFewEvents(TrainingWindow window)
    {
        if (window.Events >= options.MinimumEvents && window.Data.UserCount > 0 && window.Data.ItemCount > 0)
        {
            return null;
        }

        logger.LogInformation("Retrain skipped: {Events} events in the window, at least {MinimumEvents} needed", window.Events, options.MinimumEvents);
        return RetrainReasons.TooFewEvents(window.Events, options.MinimumEvents);
    }

    /// <summary>What exploration earned in the window, and what other rates would have earned.</summary>
    private ExplorationReport ReportExploration(TrainingWindow window, DateTimeOffset started)
    {
        var report = ExplorationReport.Build(window.Exploration, window.From ?? window.Data.Summary.From ?? started, started, options.Exploration);
        RetrainLog.Exploration(logger, report);
        return report;
    }

    /// <summary>The split step: each user's newest items held out for the champion/challenger comparison.</summary>
    private HoldOut Split(TrainingWindow window)
    {
        var (train, heldOut) = window.Data.HoldOutLatest(options.HoldOutFraction, options.HoldOutMinItems);
        return new HoldOut(train, heldOut);
    }

    /// <summary>The score step: challenger, champion (when its manifest reads) and popularity on the hold-out.</summary>
    private async Task<(HoldOutScores Scores, ModelArtifact? Fitted)> ScoreAsync(TrainingWindow window, HoldOut holdOut, CurrentModel? champion, CancellationToken cancellationToken)
    {
        var manifest = champion is null ? null : await TryReadManifestAsync(champion.Pointer.Version, cancellationToken).ConfigureAwait(false);
        var scoring = new HoldOutScoring(ct => _segments.ReadAsync(window.Rows, window.From, ct), options);
        return await scoring.ScoreAsync(holdOut, manifest, champion?.Pointer.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The train step: the challenger (of the kind scored on the hold-out) fitted on the whole window, under a fresh version name.</summary>
    private Challenger Train(TrainingWindow window, ModelKind kind, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var trained = Trainer.Train(window.Data, options.Trainer with { Model = kind }, cancellationToken: cancellationToken);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var version = ModelRegistry.NewVersion(started);
        logger.LogInformation(
            "Retrain trained {ModelKind} challenger {Version} in {TrainingSeconds:F2} s on {Users} users and {Items} items",
            trained.Manifest.ModelKind, version, seconds, window.Data.UserCount, window.Data.ItemCount);
        return new Challenger(trained, version, seconds);
    }

    private static ModelVersionRecord Record(Challenger challenger, TrainingWindow window, HoldOutScores scores, GateDecision decision, ExplorationReport exploration) => new()
    {
        Version = challenger.Version,
        ModelKind = challenger.Trained.Manifest.ModelKind,
        ModelCandidates = scores.Candidates,
        TrainedAt = challenger.Trained.Manifest.TrainedAt,
        TrainingSeconds = challenger.Seconds,
        Events = window.Events,
        Users = window.Data.UserCount,
        Items = window.Data.ItemCount,
        WindowFrom = window.Data.Summary.From,
        WindowTo = window.Data.Summary.To,
        Watermark = window.Watermark,
        Scores = scores.Challenger.Scores,
        Champion = scores.Champion?.Scores,
        ChampionVersion = scores.ChampionVersion,
        Popularity = scores.Popularity.Scores,
        PassedGate = decision.Passed,
        GateReason = decision.Reason,
        Gate = decision.Record,
        Exploration = exploration,
    };

    /// <summary>
    /// The publish step: the challenger under its fresh name, then the pointer flipped, on the tag read at the start,
    /// when it passed the gate.
    /// </summary>
    private async Task<(RetrainOutcome Outcome, string Reason)> PublishAsync(
        Challenger challenger, ModelVersionRecord record, GateDecision decision, CurrentModel? champion, CancellationToken cancellationToken)
    {
        var scores = record.Scores!;
        var artifact = new ModelArtifact(challenger.Trained.Manifest with { Version = challenger.Version }, challenger.Trained.Model, challenger.Trained.ItemPopularity);
        artifact.AddMetrics(new Dictionary<string, double>
        {
            ["holdout.ndcg@10"] = scores.Ndcg,
            ["holdout.precision@10"] = scores.Precision,
            ["holdout.recall@10"] = scores.Recall,
            ["holdout.map@10"] = scores.Map,
            ["holdout.coverage@10"] = scores.Coverage,
        });
        if (challenger.Content is { } built)
        {
            artifact.Attach(ContentEmbeddings.AttachmentName, built.Embeddings.ToBytes());
        }

        challenger.Sessions?.AttachTo(artifact);
        if (challenger.Clicks is { } clicks)
        {
            artifact.Attach(ClickPrediction.ClickModel.AttachmentName, clicks.ToBytes());
        }

        if (challenger.Rate is { } rate)
        {
            artifact.Attach(ExplorationRateChoice.AttachmentName, rate.ToBytes());
        }

        await registry.PublishAsync(artifact, record, cancellationToken).ConfigureAwait(false);

        var (outcome, reason) = decision.Passed
            ? await PromoteAsync(challenger.Version, decision.Reason, champion, cancellationToken).ConfigureAwait(false)
            : (RetrainOutcome.Kept, decision.Reason);
        logger.LogInformation(
            "Retrain decided {Decision} for {Version} (champion {ChampionVersion}): {Reason}",
            outcome, challenger.Version, champion?.Pointer.Version ?? "none", reason);
        return (outcome, reason);
    }

    private async Task<(RetrainOutcome, string)> PromoteAsync(string version, string gateReason, CurrentModel? champion, CancellationToken cancellationToken)
    {
        try
        {
            await registry.PromoteAsync(version, RetrainReasons.Promotion(gateReason), champion, cancellationToken).ConfigureAwait(false);
            return (RetrainOutcome.Promoted, gateReason);
        }
        catch (BlobConditionFailedException)
        {
            return (RetrainOutcome.LostRace, RetrainReasons.LostRace(gateReason));
        }
    }

    /// <summary>The prune step: best effort, a failure here loses nothing.</summary>
    private async Task<IReadOnlyList<string>> PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pruned = await registry.PruneAsync(options.VersionsToKeep, cancellationToken).ConfigureAwait(false);
            if (pruned.Count > 0)
            {
                logger.LogInformation("Retrain pruned {PrunedCount} old versions: {PrunedVersions}", pruned.Count, pruned);
            }

            return pruned;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not prune old versions; the next run tries again");
            return [];
        }
    }

    private async Task<ModelManifest?> TryReadManifestAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ReadManifestAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException)
        {
            logger.LogWarning(e, "Retrain cannot read the champion {Version}'s manifest; the challenger is judged against popularity", version);
            return null;
        }
    }

    private static RetrainResult Skip(string reason, CurrentModel? champion) =>
        new(RetrainOutcome.Skipped, reason, null, champion?.Pointer.Version, null, []);

    /// <summary>The window as read: its matrix, how many events, where it starts, the watermark, the logged lists, the segments read and the click rows.</summary>
    private sealed record TrainingWindow(
        InteractionMatrix Data, long Events, DateTimeOffset? From, RetrainWatermark Watermark, ExplorationLog Exploration, SegmentManifest Rows, Clicks.ClickLogRead? ClickRows);

    /// <summary>The challenger trained on the whole window, its version name, how long it took, and what serves with it (content vectors, click model, exploration rate).</summary>
    private sealed record Challenger(
        ModelArtifact Trained, string Version, double Seconds, ContentBuild? Content = null, SessionSignals? Sessions = null, ClickPrediction.ClickModel? Clicks = null,
        ExplorationRateChoice? Rate = null);
}
