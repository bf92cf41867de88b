using ServerlessReco.Core.Exploration;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Training;

/// <summary>
/// One retrain run: skip when the store has not changed since the last run; otherwise train a challenger on the
/// training window, score it against the champion and popularity on the same temporal hold-out (each user's
/// newest items), publish it as a new version, and promote it only if the gate lets it through.
/// </summary>
/// <remarks>
/// The champion is judged by its recorded settings (model kind, options, event weights: all in its manifest)
/// refitted on the same training part as the challenger, not by its served weights: those were trained on
/// events that are now in the hold-out, which would flatter it. Every write is to a fresh version name or
/// conditional on the pointer read before training, so a crash anywhere leaves the champion serving and a
/// rerun is safe.
/// </remarks>
public sealed class RetrainService(
    IEventStore events,
    ModelRegistry registry,
    RetrainOptions options,
    TimeProvider clock,
    ILogger<RetrainService> logger)
{
    public RetrainOptions Options => options;

    public async Task<RetrainResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow();

        // 1. The champion and its entity tag, read before anything else: the promotion is conditional on it.
        var champion = await registry.GetCurrentAsync(cancellationToken).ConfigureAwait(false);

        // 2. Has anything changed? The count plus a read of events after the last watermark only.
        var eventCount = await events.CountAsync(cancellationToken).ConfigureAwait(false);
        var state = await registry.ReadStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is not null && state.Watermark.EventCount == eventCount
            && !await HasEventsAfterAsync(state.Watermark.NewestEvent, cancellationToken).ConfigureAwait(false))
        {
            var reason = $"nothing changed since the run of {state.RanAt:u} ({eventCount:N0} events, newest {state.Watermark.NewestEvent:u})";
            logger.LogInformation("Retrain skipped: nothing changed since {LastRun} ({EventCount} events, newest {NewestEvent})", state.RanAt, eventCount, state.Watermark.NewestEvent);
            return Skip(reason, champion);
        }

        // 3. Read the training window.
        DateTimeOffset? from = options.WindowDays > 0 ? started.AddDays(-options.WindowDays) : null;
        var reading = new EventTally();
        var exploration = new ExplorationLog.Builder();
        var data = await InteractionMatrixBuilder.BuildAsync(
            reading.Count(exploration.Observe(events.ReadAllAsync(from, null, cancellationToken), cancellationToken)), options.Trainer.Data, null, cancellationToken).ConfigureAwait(false);
        var watermark = new RetrainWatermark(reading.Newest, eventCount);
        logger.LogInformation(
            "Retrain read {Events} events ({StoredEvents} stored) from {Users} users on {Items} items, {Interactions} interactions, window {WindowFrom} to {WindowTo}, newest event {NewestEvent}",
            reading.Events, eventCount, data.UserCount, data.ItemCount, data.NonZeros, data.Summary.From, data.Summary.To, reading.Newest);

        if (reading.Events < options.MinimumEvents || data.UserCount == 0 || data.ItemCount == 0)
        {
            var reason = $"too few events to train: {reading.Events:N0} in the window, at least {options.MinimumEvents:N0} needed";
            logger.LogInformation("Retrain skipped: {Events} events in the window, at least {MinimumEvents} needed", reading.Events, options.MinimumEvents);
            await registry.WriteStateAsync(new RetrainState { RanAt = started, Watermark = watermark, Outcome = "skipped" }, cancellationToken).ConfigureAwait(false);
            return Skip(reason, champion);
        }

        // 4. Score challenger, champion and popularity on one hold-out; report what exploration earned and would earn.
        var explorationReport = ExplorationReport.Build(exploration.Build(), from ?? data.Summary.From ?? started, started, options.Exploration);
        LogExploration(explorationReport);
        var (train, heldOut) = data.HoldOutLatest(options.HoldOutFraction, options.HoldOutMinItems);
        var challengerOnTrain = Trainer.Train(train, options.Trainer, cancellationToken: cancellationToken);
        var challengerScores = Score(challengerOnTrain.Model, train, heldOut);
        var popularityScores = Score(new PopularityModel(train), train, heldOut);
        ModelScores? championScores = null;
        var championManifest = champion is null ? null : await TryReadManifestAsync(champion.Pointer.Version, cancellationToken).ConfigureAwait(false);
        if (championManifest is not null)
        {
            var championOptions = ChampionOptions(championManifest);
            if (SameSettings(championOptions, options.Trainer with { Model = challengerOnTrain.Manifest.ModelKind }))
            {
                championScores = challengerScores;
            }
            else if (SameData(championOptions.Data, options.Trainer.Data))
            {
                championScores = Score(Trainer.Train(train, championOptions, cancellationToken: cancellationToken).Model, train, heldOut);
            }
            else
            {
                // Other weights, decay or thresholds make another matrix: read the window again with them, hold out
                // by the same rule, and score against the challenger's held-out items (by id), so both answer the
                // same questions. REVIEW: a second read of the window, only when the data settings changed.
                var championData = await InteractionMatrixBuilder.BuildAsync(
                    events.ReadAllAsync(from, null, cancellationToken), championOptions.Data, null, cancellationToken).ConfigureAwait(false);
                var (championTrain, _) = championData.HoldOutLatest(options.HoldOutFraction, options.HoldOutMinItems);
                championScores = Score(Trainer.Train(championTrain, championOptions, cancellationToken: cancellationToken).Model, championTrain, heldOut, train.ItemCount);
            }
        }

        // 5. Train the challenger on the whole window.
        var clockStart = Stopwatch.StartNew();
        var trained = Trainer.Train(data, options.Trainer, cancellationToken: cancellationToken);
        var seconds = clockStart.Elapsed.TotalSeconds;
        var version = ModelRegistry.NewVersion(started);
        logger.LogInformation(
            "Retrain trained {ModelKind} challenger {Version} in {TrainingSeconds:F2} s on {Users} users and {Items} items",
            trained.Manifest.ModelKind, version, seconds, data.UserCount, data.ItemCount);
        if (championScores is null)
        {
            logger.LogInformation(
                "Retrain scored on a hold-out of {HoldOutUsers} users: challenger nDCG@10 {ChallengerNdcg:F4} P@10 {ChallengerPrecision:F4} coverage {ChallengerCoverage:F4}; no champion; popularity nDCG@10 {PopularityNdcg:F4} coverage {PopularityCoverage:F4}",
                challengerScores.Users, challengerScores.Ndcg, challengerScores.Precision, challengerScores.Coverage,
                popularityScores.Ndcg, popularityScores.Coverage);
        }
        else
        {
            logger.LogInformation(
                "Retrain scored on a hold-out of {HoldOutUsers} users: challenger nDCG@10 {ChallengerNdcg:F4} P@10 {ChallengerPrecision:F4} coverage {ChallengerCoverage:F4}; champion {ChampionVersion} nDCG@10 {ChampionNdcg:F4} P@10 {ChampionPrecision:F4} coverage {ChampionCoverage:F4}; popularity nDCG@10 {PopularityNdcg:F4} coverage {PopularityCoverage:F4}",
                challengerScores.Users, challengerScores.Ndcg, challengerScores.Precision, challengerScores.Coverage,
                champion!.Pointer.Version, championScores.Ndcg, championScores.Precision, championScores.Coverage,
                popularityScores.Ndcg, popularityScores.Coverage);
        }

        // 6. The gate.
        var (passed, gateReason) = Gate(challengerScores, championScores, popularityScores, champion?.Pointer.Version);
        var record = new ModelVersionRecord
        {
            Version = version,
            ModelKind = trained.Manifest.ModelKind,
            TrainedAt = trained.Manifest.TrainedAt,
            TrainingSeconds = seconds,
            Events = reading.Events,
            Users = data.UserCount,
            Items = data.ItemCount,
            WindowFrom = data.Summary.From,
            WindowTo = data.Summary.To,
            Watermark = watermark,
            Scores = challengerScores,
            Champion = championScores,
            ChampionVersion = championManifest is null ? null : champion?.Pointer.Version,
            Popularity = popularityScores,
            PassedGate = passed,
            GateReason = gateReason,
            Exploration = explorationReport,
        };
        var artifact = new ModelArtifact(trained.Manifest with { Version = version }, trained.Model, trained.ItemPopularity);
        artifact.AddMetrics(new Dictionary<string, double>
        {
            ["holdout.ndcg@10"] = challengerScores.Ndcg,
            ["holdout.precision@10"] = challengerScores.Precision,
            ["holdout.recall@10"] = challengerScores.Recall,
            ["holdout.map@10"] = challengerScores.Map,
            ["holdout.coverage@10"] = challengerScores.Coverage,
        });

        // 7. Publish (fresh names only), then flip the pointer on the tag read in step 1.
        await registry.PublishAsync(artifact, record, cancellationToken).ConfigureAwait(false);
        RetrainOutcome outcome;
        string decision;
        if (!passed)
        {
            outcome = RetrainOutcome.Kept;
            decision = gateReason;
        }
        else
        {
            try
            {
                await registry.PromoteAsync(version, $"retrain: {gateReason}", champion, cancellationToken).ConfigureAwait(false);
                outcome = RetrainOutcome.Promoted;
                decision = gateReason;
            }
            catch (BlobConditionFailedException)
            {
                outcome = RetrainOutcome.LostRace;
                decision = $"passed the gate ({gateReason}) but another run changed models/current.json first; left unpromoted";
            }
        }

        logger.LogInformation(
            "Retrain decided {Decision} for {Version} (champion {ChampionVersion}): {Reason}",
            outcome, version, champion?.Pointer.Version ?? "none", decision);

        await registry.WriteStateAsync(
            new RetrainState { RanAt = started, Watermark = watermark, Version = version, Outcome = outcome.ToString() }, cancellationToken).ConfigureAwait(false);

        // 8. Prune: best effort, a failure here loses nothing.
        IReadOnlyList<string> pruned = [];
        try
        {
            pruned = await registry.PruneAsync(options.VersionsToKeep, cancellationToken).ConfigureAwait(false);
            if (pruned.Count > 0)
            {
                logger.LogInformation("Retrain pruned {PrunedCount} old versions: {PrunedVersions}", pruned.Count, pruned);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not prune old versions; the next run tries again");
        }

        return new RetrainResult(outcome, decision, version, champion?.Pointer.Version, record, pruned);
    }

    /// <summary>
    /// Promote when the challenger is within the tolerance of the champion on nDCG@K and coverage; with no
    /// champion, only when it beats popularity.
    /// </summary>
    public (bool Passed, string Reason) Gate(ModelScores challenger, ModelScores? champion, ModelScores popularity, string? championVersion)
    {
        if (challenger.Users == 0)
        {
            return (false, "the hold-out is empty (no user has enough items to hold some out)");
        }

        if (champion is null)
        {
            return challenger.Ndcg > popularity.Ndcg
                ? (true, $"first model: nDCG@{options.K} {challenger.Ndcg:F4} beats popularity {popularity.Ndcg:F4}")
                : (false, $"first model: nDCG@{options.K} {challenger.Ndcg:F4} does not beat popularity {popularity.Ndcg:F4}");
        }

        var floor = 1 - options.Tolerance;
        var ndcgOk = challenger.Ndcg >= champion.Ndcg * floor - 1e-12;
        var coverageOk = challenger.Coverage >= champion.Coverage * floor - 1e-12;
        var figures = $"nDCG@{options.K} {challenger.Ndcg:F4} vs champion {championVersion} {champion.Ndcg:F4}, coverage {challenger.Coverage:F4} vs {champion.Coverage:F4}, tolerance {options.Tolerance:P1}";
        return (ndcgOk, coverageOk) switch
        {
            (true, true) => (true, $"not worse than the champion: {figures}"),
            (false, true) => (false, $"nDCG@{options.K} worse than the champion beyond the tolerance: {figures}"),
            (true, false) => (false, $"coverage worse than the champion beyond the tolerance: {figures}"),
            _ => (false, $"nDCG@{options.K} and coverage worse than the champion beyond the tolerance: {figures}"),
        };
    }

    /// <summary>
    /// The figures of one model on the hold-out. Coverage is the share of <paramref name="catalogue"/> (the
    /// challenger's items) that the lists reach, so models trained on different item sets compare fairly.
    /// </summary>
    private ModelScores Score(IItemScorer model, InteractionMatrix train, Dictionary<string, IReadOnlySet<string>> heldOut, int? catalogue = null)
    {
        var result = OfflineEvaluation.Evaluate(model, train, heldOut, options.K);
        var a = result.Accuracy;
        var reached = result.Recommendations.Values.SelectMany(l => l).Distinct(StringComparer.Ordinal).Count();
        var coverage = (catalogue ?? train.ItemCount) is var n and > 0 ? (double)reached / n : 0;
        return new ModelScores(options.K, a.Users, a.Ndcg, a.Precision, a.Recall, a.Map, coverage);
    }

    /// <summary>
    /// Whether any event is newer than <paramref name="newest"/>. Reads from that instant on (an index range in
    /// every store, never the whole history) and compares timestamps itself, since stores keep them at different
    /// precisions.
    /// </summary>
    private async Task<bool> HasEventsAfterAsync(DateTimeOffset? newest, CancellationToken cancellationToken)
    {
        await foreach (var e in events.ReadAllAsync(newest, null, cancellationToken).ConfigureAwait(false))
        {
            if (newest is null || e.Timestamp > newest)
            {
                return true;
            }
        }

        return false;
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

    /// <summary>The settings that trained the champion, from its manifest.</summary>
    internal static TrainerOptions ChampionOptions(ModelManifest manifest)
    {
        var result = new TrainerOptions { Data = manifest.Training, Model = manifest.ModelKind };
        return (manifest.ModelKind, manifest.ModelOptions) switch
        {
            ("ease", { } e) => result with { Ease = e.Deserialize<EaseOptions>(ModelArtifact.Json) ?? new() },
            ("sar", { } e) => result with { Sar = e.Deserialize<SarOptions>(ModelArtifact.Json) ?? new() },
            _ => result,
        };
    }

    /// <summary>
    /// Same model kind, options and data settings: refitting the champion would give the challenger's model
    /// again (training is deterministic), so its scores are reused.
    /// </summary>
    private static bool SameSettings(TrainerOptions champion, TrainerOptions challenger)
    {
        static string Key(TrainerOptions o) => JsonSerializer.Serialize(
            new { o.Data, o.Model, Options = o.Model == "sar" ? (object)o.Sar : o.Ease }, ModelArtifact.Json);
        return Key(champion) == Key(challenger);
    }

    private void LogExploration(ExplorationReport report)
    {
        if (report.LoggedSlots == 0)
        {
            logger.LogInformation("Retrain found no logged recommendation lists in the window: no exploration figures");
            return;
        }

        foreach (var row in report.Online.Rows)
        {
            logger.LogInformation(
                "Retrain online {Policy} {SlotKind}: {Impressions} impressions, click-through {ClickThroughRate:P2}, conversion {ConversionRate:P2}",
                row.Policy, row.SlotKind, row.Impressions, row.ClickThroughRate, row.ConversionRate);
        }

        foreach (var estimate in report.Estimates)
        {
            logger.LogInformation(
                "Retrain off-policy estimate for exploration {Explore}: click-through IPS {Ips:P2} ± {IpsError:P2}, SNIPS {Snips:P2}, effective sample {EffectiveSampleSize:F0}",
                estimate.Explore, estimate.Ips.Value, estimate.Ips.StandardError, estimate.SelfNormalisedIps.Value, estimate.Ips.EffectiveSampleSize);
        }
    }

    private static bool SameData(TrainingOptions a, TrainingOptions b) =>
        JsonSerializer.Serialize(a, ModelArtifact.Json) == JsonSerializer.Serialize(b, ModelArtifact.Json);

    private RetrainResult Skip(string reason, CurrentModel? champion) =>
        new(RetrainOutcome.Skipped, reason, null, champion?.Pointer.Version, null, []);

    /// <summary>Counts events and keeps the newest timestamp while they stream into the trainer.</summary>
    private sealed class EventTally
    {
        public long Events { get; private set; }
        public DateTimeOffset? Newest { get; private set; }

        public async IAsyncEnumerable<BehaviorEvent> Count(IAsyncEnumerable<BehaviorEvent> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Events++;
                if (Newest is null || e.Timestamp > Newest)
                {
                    Newest = e.Timestamp;
                }

                yield return e;
            }
        }
    }
}
