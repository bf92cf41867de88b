using Microsoft.Extensions.Logging;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Keeps a retrain's lease while the run lives: renews it every third of its duration, and when it is lost (taken by
/// another run after it expired, or not renewed before its expiry because the store failed) cancels <see cref="Token"/>
/// so the run stops writing. Releasing never throws: it is retried a few times, and otherwise the lease expires.
/// </summary>
internal sealed class RetrainLeaseKeeper : IAsyncDisposable
{
    private const int ReleaseAttempts = 3;

    private readonly IRetrainLease _lease;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private LeaseGrant _grant;

    public RetrainLeaseKeeper(IRetrainLease lease, LeaseGrant grant, TimeProvider clock, ILogger logger, CancellationToken runToken)
    {
        (_lease, _grant, _clock, _logger) = (lease, grant, clock, logger);
        _lost = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        _renewing = Task.Run(RenewUntilStoppedAsync);
    }

    /// <summary>Cancelled when the caller cancels or the lease is lost.</summary>
    public CancellationToken Token => _lost.Token;

    public bool Lost { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        if (!Lost)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewUntilStoppedAsync()
    {
        var every = _lease.Duration / 3;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _clock, _stop.Token).ConfigureAwait(false);

                // Not the stop token: a renewal cancelled in flight may still be written by the store, and the
                // release would then hold a stale entity tag, fail its condition and leave the lease to expire.
                using var timeout = new CancellationTokenSource(_lease.Duration, _clock);
                var renewed = await _lease.RenewAsync(_grant, timeout.Token).ConfigureAwait(false);
                if (renewed is null)
                {
                    await LoseAsync("another run took it").ConfigureAwait(false);
                    return;
                }

                _grant = renewed;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Retrain could not renew its lease (held until {LeaseExpiresAt}); it tries again", _grant.ExpiresAt);
                if (_clock.GetUtcNow() >= _grant.ExpiresAt)
                {
                    await LoseAsync("it expired before a renewal got through").ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task LoseAsync(string why)
    {
        Lost = true;
        _logger.LogWarning("Retrain lost its lease ({Why}); the run stops without writing more", why);
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private async Task ReleaseAsync()
    {
        for (var attempt = 1; attempt <= ReleaseAttempts; attempt++)
        {
            try
            {
                // Not the run's token: a cancelled run still gives the lease back.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _clock);
                await _lease.ReleaseAsync(_grant, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < ReleaseAttempts)
            {
                _logger.LogDebug(e, "Retrain could not release its lease (attempt {Attempt}); trying again", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _clock).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Retrain could not release its lease; it expires by itself at {LeaseExpiresAt}", _grant.ExpiresAt);
            }
        }
    }
}
