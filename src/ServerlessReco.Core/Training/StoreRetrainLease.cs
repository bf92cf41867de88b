using System.Text.Json;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The retrain lease as one small blob, <c>training/retrain-lease.json</c>, in the model store (a Blob container or a
/// folder), written only by compare-and-swap on its entity tag: taking a free or expired lease, renewing and releasing
/// are each one conditional write, so of two runs only one can hold it. A compare-and-swap blob rather than a native
/// Blob lease: native leases last at most 60 s (or forever), the folder store has none, and the two stores already
/// pass one contract for conditional writes.
/// </summary>
/// <remarks>
/// Expiry is a time written by the holder's clock and read by the next run's: clocks that disagree by more than the
/// lease's duration would let a run take a lease that is still renewed. Azure hosts keep their clocks synchronised.
/// </remarks>
public sealed class StoreRetrainLease(IModelBlobStore store, TimeSpan duration, TimeProvider clock) : IRetrainLease
{
    public const string BlobName = "training/retrain-lease.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public TimeSpan Duration => duration;

    public async Task<LeaseGrant?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        var holder = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        BlobCondition condition;
        using (var download = await store.GetAsync(BlobName, cancellationToken).ConfigureAwait(false))
        {
            if (download is null)
            {
                condition = BlobCondition.IfNotExists;
            }
            else if (await ReadAsync(download.Content, cancellationToken).ConfigureAwait(false) is { } held && held.ExpiresAt > clock.GetUtcNow())
            {
                return null;
            }
            else
            {
                condition = BlobCondition.IfMatch(download.ETag); // expired, released or unreadable: take it over
            }
        }

        return await TryWriteAsync(holder, condition, cancellationToken).ConfigureAwait(false);
    }

    public Task<LeaseGrant?> RenewAsync(LeaseGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return TryWriteAsync(grant.Holder, BlobCondition.IfMatch(grant.ETag), cancellationToken);
    }

    public async Task ReleaseAsync(LeaseGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);

        // Not a delete: only a conditional write is sure to leave alone a lease another run has taken since.
        await TryWriteAsync(grant.Holder, BlobCondition.IfMatch(grant.ETag), cancellationToken, released: true).ConfigureAwait(false);
    }

    private async Task<LeaseGrant?> TryWriteAsync(string holder, BlobCondition condition, CancellationToken cancellationToken, bool released = false)
    {
        var now = clock.GetUtcNow();
        var state = new LeaseState(holder, now, released ? now : now + duration);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(state, Json));
        try
        {
            var etag = await store.PutAsync(BlobName, content, condition, cancellationToken).ConfigureAwait(false);
            return new LeaseGrant(holder, etag, state.ExpiresAt);
        }
        catch (BlobConditionFailedException)
        {
            return null; // another run wrote first
        }
    }

    private static async Task<LeaseState?> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<LeaseState>(content, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null; // a damaged lease blob holds nothing
        }
    }

    /// <summary>What the blob holds: who, since when (the last write), until when.</summary>
    private sealed record LeaseState(string Holder, DateTimeOffset WrittenAt, DateTimeOffset ExpiresAt);
}
