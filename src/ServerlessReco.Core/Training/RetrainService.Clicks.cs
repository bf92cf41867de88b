using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Clicks;

namespace ServerlessReco.Core.Training;

/// <summary>The click rows of a run: what was shown since the last run, labelled on the run's one read of the window.</summary>
public sealed partial class RetrainService
{
    /// <summary>
    /// The builder of this run's click rows: new rows from the end of the stored ones (or the window's start, never
    /// before it) to the run's start, outcomes from the label period before it; fed the lists of the run's one read of
    /// the served-list store. Null when the click model is off.
    /// </summary>
    private async Task<ClickRowBuilder?> BeginClickRowsAsync(DateTimeOffset started, DateTimeOffset? windowFrom, CancellationToken cancellationToken)
    {
        var settings = options.ClickModel;
        if (!settings.Enabled)
        {
            return null;
        }

        var cursor = await _clicks.CursorAsync(cancellationToken).ConfigureAwait(false);
        var from = cursor is { } c && (windowFrom is null || c > windowFrom) ? c : windowFrom ?? DateTimeOffset.MinValue;
        var rewardsFrom = started - settings.LabelPeriod;
        return new ClickRowBuilder(from < started ? from : started, started, rewardsFrom);
    }

    /// <summary>
    /// Stores the rows of the lists served since the last run (the builder was fed them), brings the stored rows up to
    /// date and returns the window's rows. Best effort: a failure leaves the stored rows as they were and this run
    /// without a click model.
    /// </summary>
    private async Task<ClickLogRead?> FinishClickRowsAsync(ClickRowBuilder? builder, DateTimeOffset? windowFrom, CancellationToken cancellationToken)
    {
        if (builder is null)
        {
            return null;
        }

        try
        {
            var read = await _clicks.UpdateAsync(builder, windowFrom, cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Retrain click rows: {ClickRows} in the window ({NewClickRows} new since {ClickRowsFrom}), {ClickFiles} files, {RewrittenClickFiles} rewritten, {DeletedClickFiles} deleted",
                read.Rows.Count, read.NewRows, builder.From, read.Files, read.Rewritten, read.Deleted);
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not update the click rows; this run trains no click model and the next one reads the same lists again");
            return null;
        }
    }
}
