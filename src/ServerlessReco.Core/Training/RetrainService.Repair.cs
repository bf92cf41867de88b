using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Segments;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Damaged training segments never stop retraining for good: a run that finds the manifest or a segment damaged
/// (<see cref="DamagedSegmentsException"/>) logs it, rebuilds the segments from the start of the change feed and runs
/// again, once. Nothing is published before the segments are read, so the first attempt leaves nothing half-done.
/// </summary>
public sealed partial class RetrainService
{
    private async Task<RetrainResult> RunRebuildingDamagedSegmentsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunLeasedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DamagedSegmentsException e)
        {
            logger.LogWarning(e, "Retrain found the training segments damaged ({DamagedBlob}); it rebuilds them from the start of the change feed and runs again", e.Blob);
            await _segments.RebuildAsync(cancellationToken).ConfigureAwait(false);
            return await RunLeasedAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
