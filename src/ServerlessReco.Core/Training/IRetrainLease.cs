namespace ServerlessReco.Core.Training;

/// <summary>
/// The right to retrain against one store, held by one run at a time and only for a while: a run that dies stops
/// renewing, and the next run takes the lease once it has expired, so a killed run never blocks retraining for longer
/// than <see cref="Duration"/>.
/// </summary>
public interface IRetrainLease
{
    /// <summary>How long a grant lasts unless renewed.</summary>
    TimeSpan Duration { get; }

    /// <summary>The lease for this caller, or null when another holder's grant has not expired yet.</summary>
    Task<LeaseGrant?> TryAcquireAsync(CancellationToken cancellationToken = default);

    /// <summary>The grant extended by <see cref="Duration"/> from now, or null when it was lost (expired and taken by another run).</summary>
    Task<LeaseGrant?> RenewAsync(LeaseGrant grant, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up so the next run need not wait for it to expire; a grant already lost is left alone.</summary>
    Task ReleaseAsync(LeaseGrant grant, CancellationToken cancellationToken = default);
}

/// <summary>One holder's grant: who holds it, the entity tag it was written with, and until when it holds.</summary>
public sealed record LeaseGrant(string Holder, string ETag, DateTimeOffset ExpiresAt);
