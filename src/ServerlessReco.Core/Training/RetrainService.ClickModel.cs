using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>The click-model step of a run: train on the window's click rows, judge on the newest held-out lists, decide whether it serves.</summary>
public sealed partial class RetrainService
{
    /// <summary>
    /// Trains the click model when the window holds enough logged lists and engaged slots, and lets it serve only when
    /// the off-policy comparison on the held-out lists does not put it below the logged ranking (<see cref="ClickModelGate"/>).
    /// Best effort: a failure leaves the version without a click model (serving keeps today's order) and says why.
    /// Null when the click model is off.
    /// </summary>
    private async Task<(ClickModel? Served, ClickModelDecision? Decision)> TrainClickModelAsync(ClickLogRead? read, CancellationToken cancellationToken)
    {
        if (!options.ClickModel.Enabled)
        {
            return (null, null);
        }

        if (clickTrainer is null || read is null)
        {
            var why = clickTrainer is null ? "this host has no click-model trainer" : "the click rows could not be read this run";
            return (null, new ClickModelDecision(false, false, why));
        }

        if (ClickModelTraining.TooLittle(read.Rows, options.ClickModel) is { } tooLittle)
        {
            logger.LogInformation("Retrain trained no click model: {ClickModelReason}", tooLittle);
            return (null, new ClickModelDecision(false, false, tooLittle)); // before the catalogue read and the histories' sort
        }

        try
        {
            var categories = await SessionSignalsStage.CategoriesAsync(items, cancellationToken).ConfigureAwait(false);
            int CategoryOf(string id) => categories.TryGetValue(id, out var c) ? c : -1;
            read.History.Freeze(CategoryOf);
            var fit = ClickModelTraining.Train(read.Rows, read.History, CategoryOf, clickTrainer, options.ClickModel, cancellationToken);
            var decision = Decide(fit, read.Rows);
            logger.LogInformation("Retrain click model: {ClickModelServes} ({ClickModelReason})", decision.Serves ? "serves" : "does not serve", decision.Reason);
            return (decision.Serves ? fit.Model : null, decision);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not train the click model; the version serves today's order");
            return (null, new ClickModelDecision(false, false, $"training failed: {e.Message}"));
        }
    }

    private ClickModelDecision Decide(ClickModelFit fit, List<ClickRow> rows)
    {
        if (fit.Model is not { } model)
        {
            return new ClickModelDecision(false, false, fit.Reason);
        }

        var f = model.Figures;
        var gate = ClickModelGate.Judge(rows[f.TrainRows..], fit.HoldOutPredictions!);
        var (serves, reason) = (gate, f.LogLoss < f.BaselineLogLoss) switch
        {
            (_, false) => (false, $"{fit.Reason}: not better calibrated than a constant rate"),
            (null, _) => (false, $"{fit.Reason}: fewer than {ClickModelGate.MinimumLists} held-out lists to judge it on"),
            ({ NotWorse: false } g, _) => (false, $"{fit.Reason}: below the logged ranking on {g.Lists} held-out lists (SNIPS {g.SelfNormalisedIps.Difference:+0.000;-0.000}, interval {g.SelfNormalisedIps.Lower:F3} to {g.SelfNormalisedIps.Upper:F3})"),
            ({ } g, _) => (true, $"{fit.Reason}: not below the logged ranking on {g.Lists} held-out lists (SNIPS {g.SelfNormalisedIps.Difference:+0.000;-0.000}, interval {g.SelfNormalisedIps.Lower:F3} to {g.SelfNormalisedIps.Upper:F3})"),
        };
        return new ClickModelDecision(true, serves, reason)
        {
            Trainer = clickTrainer!.Name,
            TrainRows = f.TrainRows,
            HoldOutRows = f.HoldOutRows,
            Lists = f.Lists,
            Engaged = f.Engaged,
            Auc = double.IsFinite(f.Auc) ? f.Auc : null,
            LogLoss = f.LogLoss,
            BaselineLogLoss = f.BaselineLogLoss,
            Seconds = f.Seconds,
            Weighting = f.Weighting,
            Gate = gate,
        };
    }

    /// <summary>
    /// The click model's second judge (<see cref="ClickModelChallenge"/>): once the off-policy gate lets it serve, the
    /// recall hold-out's lists served with it and without; it serves only when those are not worse beyond noise.
    /// </summary>
    private async Task<(ClickModel? Served, ClickModelDecision? Decision)> ChallengeClickModelAsync(
        ClickModel? model, ClickModelDecision? decision, ContentBuild? built, ContentBuild? embedded, HoldOut holdOut, Func<Task<HoldOutLists>> served,
        CancellationToken cancellationToken)
    {
        if (model is null || decision is null || holdOut.HeldOut.Count == 0)
        {
            return (model, decision);
        }

        var stopwatch = Stopwatch.StartNew();
        var lists = await served().ConfigureAwait(false);
        var catalogue = built?.Catalogue ?? await ReadCatalogueAsync(cancellationToken).ConfigureAwait(false);
        var comparison = ClickModelChallenge.Compare(lists, catalogue, model, embedded?.Embeddings, cancellationToken);
        var judged = ClickModelChallenge.Decide(decision, comparison, options);
        logger.LogInformation(
            "Retrain click model on {ClickUsers} hold-out shoppers' served lists in {ClickChallengeSeconds:F2} s: {ClickModelServes} ({ClickModelReason})",
            lists.Users, stopwatch.Elapsed.TotalSeconds, judged.Serves ? "serves" : "does not serve", judged.Reason);
        return (judged.Serves ? model : null, judged);
    }

    private async Task<IReadOnlyList<CatalogItem>> ReadCatalogueAsync(CancellationToken cancellationToken) =>
        items is null ? [] : await items.ReadAllAsync(cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
}
