using Microsoft.Extensions.Logging;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The guard around every run: it holds the store's retrain lease (<see cref="IRetrainLease"/>) or does not run, so two
/// retrains never work on one store's segments and versions at once (a timer and an operator's run, two instances).
/// </summary>
public sealed partial class RetrainService
{
    /// <summary>One retrain run, under the store's lease; skipped when another run holds it.</summary>
    public async Task<RetrainResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var lease = Lease;
        var grant = await lease.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (grant is null)
        {
            logger.LogInformation("Retrain skipped: another run holds the retrain lease");
            return new RetrainResult(RetrainOutcome.Skipped, RetrainReasons.LeaseHeld, null, null, null, []);
        }

        await using var keeper = new RetrainLeaseKeeper(lease, grant, clock, logger, cancellationToken);
        try
        {
            return await RunRebuildingDamagedSegmentsAsync(keeper.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (keeper.Lost && !cancellationToken.IsCancellationRequested)
        {
            return new RetrainResult(RetrainOutcome.Skipped, RetrainReasons.LeaseLost, null, null, null, []);
        }
    }

    /// <summary>The lease this service's runs take: the given one, or the store's lease blob for <see cref="RetrainOptions.LeaseDuration"/>.</summary>
    private IRetrainLease Lease => _lease ??= new StoreRetrainLease(registry.Store, options.LeaseDuration, clock);
}
