using System.Text;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>Retraining under the store's lease: never two runs at once, a killed run blocks only until its lease expires.</summary>
public abstract partial class RetrainContract
{
    [Fact]
    public async Task ARunWhileAnotherHoldsTheLeaseDoesNothingAndAKilledRunsLeaseBlocksOnlyUntilItExpires()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var lease = TimeSpan.FromSeconds(1);
        var killed = await new StoreRetrainLease(store, lease, TimeProvider.System).TryAcquireAsync(Cancel); // taken, never released
        Assert.NotNull(killed);

        var blocked = await Service(store, lease: lease).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Skipped, blocked.Outcome);
        Assert.Equal(RetrainReasons.LeaseHeld, blocked.Reason);
        Assert.Empty(await new ModelRegistry(store, TimeProvider.System).ListAsync(Cancel));

        var untilExpired = killed.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100);
        await Task.Delay(untilExpired > TimeSpan.Zero ? untilExpired : TimeSpan.Zero, Cancel);
        var next = await Service(store, lease: lease).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Promoted, next.Outcome);
        Assert.NotNull(await new StoreRetrainLease(store, lease, TimeProvider.System).TryAcquireAsync(Cancel)); // released at the end
    }

    [Fact]
    public async Task ARunThatLosesItsLeaseStopsBeforeItPromotes()
    {
        var inner = await CreateStoreAsync();
        await LoadShopAsync();
        var lease = TimeSpan.FromSeconds(1);
        var store = new InterceptingStore(inner)
        {
            // Another run takes the lease over (as if this one had stalled past its expiry), then this one's renewal comes due.
            BeforePointerWrite = async () =>
            {
                var thief = Encoding.UTF8.GetBytes($$"""{"holder":"other","writtenAt":"{{DateTimeOffset.UtcNow:O}}","expiresAt":"{{DateTimeOffset.UtcNow.AddMinutes(5):O}}"}""");
                await inner.PutAsync(StoreRetrainLease.BlobName, new MemoryStream(thief), BlobCondition.None, Cancel);
                await Task.Delay(lease, Cancel);
            },
        };

        var result = await Service(store, lease: lease).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Skipped, result.Outcome);
        Assert.Equal(RetrainReasons.LeaseLost, result.Reason);
        Assert.Null(await new ModelRegistry(inner, TimeProvider.System).GetCurrentAsync(Cancel));
    }

    [Fact]
    public async Task AStoreThatRefusesToReleaseTheLeaseDoesNotFailTheRun()
    {
        var inner = await CreateStoreAsync();
        await LoadShopAsync();
        var store = new LeaseWritesFailAfterTheFirst(inner);
        var log = new ListLogger();

        var result = await Service(store, log: log).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Promoted, result.Outcome);
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain could not release its lease; it expires by itself", StringComparison.Ordinal));
    }

    /// <summary>A model store whose lease blob can be taken once and then never written again (a store that fails at the end of a run).</summary>
    private sealed class LeaseWritesFailAfterTheFirst(IModelBlobStore inner) : IModelBlobStore
    {
        private int _leaseWrites;

        public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) =>
            name == StoreRetrainLease.BlobName && Interlocked.Increment(ref _leaseWrites) > 1
                ? throw new IOException("the store is unavailable")
                : inner.PutAsync(name, content, condition, cancellationToken);

        public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

        public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => inner.GetETagAsync(name, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
    }
}
