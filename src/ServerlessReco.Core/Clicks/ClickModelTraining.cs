using System.Diagnostics;
using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.Core.Clicks;

/// <summary>How training rows are weighted.</summary>
public enum ClickWeighting
{
    /// <summary>Every row counts once; position is a feature, and every candidate is served at one fixed position.</summary>
    None,

    /// <summary>Each row weighs 1 / its logged propensity (clipped at 20): rows the policy rarely shows count for the shows it did not make.</summary>
    Propensity,
}

/// <summary>A click model, or why there is none, with the matrix it was judged on.</summary>
public sealed record ClickModelFit(ClickModel? Model, string Reason, ClickTrainingSet? Set = null, double[]? HoldOutPredictions = null, bool[]? HoldOutLabels = null);

/// <summary>
/// Trains the click model of one retrain: enough lists and engaged rows or none at all, the rows' features as of each
/// list's moment, the newest 20% of rows (by serving time) held out, trees fitted on the older rows, Platt-calibrated on
/// the held-out rows and judged there (AUC of the raw scores, log-loss of the calibrated probabilities, against always
/// predicting the training rate).
/// </summary>
public static class ClickModelTraining
{
    public const double HoldOutFraction = 0.2;

    /// <summary>The clip of propensity weights: a row never counts for more than this many.</summary>
    public const float MaxWeight = 20;

    public static ClickModelFit Train(
        IReadOnlyList<ClickRow> rows, ClickHistory history, Func<string, int> categoryKeyOf, IClickModelTrainer trainer, ClickModelOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(options);
        if (TooLittle(rows, options) is { } why)
        {
            return new ClickModelFit(null, why);
        }

        var lists = rows.Select(r => r.ListId).Distinct(StringComparer.Ordinal).Count();
        var engaged = rows.Count(r => r.Engaged);

        var stopwatch = Stopwatch.StartNew();
        var set = ClickTrainingSet.Build(rows, history, categoryKeyOf, cancellationToken);
        var cut = HoldOutStart(set.Ticks);
        var train = Enumerable.Range(0, cut).ToArray();
        var trainLabels = set.Labels.AsSpan(0, cut);
        var heldLabels = set.Labels[cut..];
        if (!trainLabels.Contains(true) || !trainLabels.Contains(false) || !heldLabels.Contains(true) || !heldLabels.Contains(false))
        {
            return new ClickModelFit(null, "the older or the newer rows have no engaged or no ignored slot", set);
        }

        var weights = options.Weighting == ClickWeighting.Propensity
            ? [.. train.Select(r => Math.Min(MaxWeight, 1 / Math.Max(set.Propensities[r], 1 / MaxWeight)))]
            : (float[]?)null;
        var ensemble = trainer.Fit(set, train, weights, cancellationToken);
        var raw = new double[set.Rows - cut];
        for (var r = cut; r < set.Rows; r++)
        {
            raw[r - cut] = ensemble.Score(set.Row(r));
        }

        var calibration = PlattCalibration.Fit(raw, heldLabels);
        var predicted = raw.Select(calibration.Probability).ToArray();
        var trainRate = trainLabels.Count(true) / (double)cut;
        var baseline = ClickMetrics.LogLoss(Enumerable.Repeat(trainRate, raw.Length).ToArray(), heldLabels);
        var figures = new ClickModelFigures(
            cut, raw.Length, lists, engaged, ClickMetrics.Auc(raw, heldLabels), ClickMetrics.LogLoss(predicted, heldLabels), baseline,
            stopwatch.Elapsed.TotalSeconds, options.Weighting.ToString().ToLowerInvariant());
        var model = new ClickModel(ensemble, calibration, set.Exposures, set.OverallRate, figures);
        return new ClickModelFit(model, $"trained on {cut} rows of {lists} lists; hold-out AUC {figures.Auc:F3}, log-loss {figures.LogLoss:F4} (constant rate {baseline:F4})",
            set, predicted, heldLabels);
    }

    /// <summary>Why the rows are too few to train on (fewer lists or engaged slots than the options ask), or null.</summary>
    public static string? TooLittle(IReadOnlyList<ClickRow> rows, ClickModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var lists = rows.Select(r => r.ListId).Distinct(StringComparer.Ordinal).Count();
        var engaged = rows.Count(r => r.Engaged);
        return lists < options.MinimumLists || engaged < options.MinimumClicks
            ? $"{lists} logged lists and {engaged} engaged slots in the window, at least {options.MinimumLists} and {options.MinimumClicks} needed"
            : null;
    }

    /// <summary>The first row of the newest <see cref="HoldOutFraction"/>, moved to a time boundary so one list is never split.</summary>
    private static int HoldOutStart(long[] ticks)
    {
        var cut = (int)(ticks.Length * (1 - HoldOutFraction));
        while (cut > 0 && cut < ticks.Length && ticks[cut] == ticks[cut - 1])
        {
            cut--;
        }

        return Math.Max(cut, 1);
    }
}
