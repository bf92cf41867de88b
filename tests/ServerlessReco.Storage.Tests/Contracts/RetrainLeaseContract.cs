using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>
/// The retrain lease on every model store (a folder, Azurite): one holder at a time, free again once released or
/// expired, a lost grant can neither renew nor release the next holder's, and a damaged lease blob blocks nothing.
/// </summary>
public abstract class RetrainLeaseContract
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(120);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected abstract Task<IModelBlobStore> CreateStoreAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private StoreRetrainLease Lease(IModelBlobStore store) => new(store, Duration, _clock);

    [Fact]
    public async Task OfRunsTakingTheLeaseAtOnceExactlyOneGetsIt()
    {
        var store = await CreateStoreAsync();

        var grants = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Lease(store).TryAcquireAsync(Cancel), Cancel)));

        Assert.Single(grants, g => g is not null);
    }

    [Fact]
    public async Task AHeldLeaseRefusesOthersUntilItExpiresAndThenTheOldGrantCanNeitherRenewNorRelease()
    {
        var store = await CreateStoreAsync();
        var killed = await Lease(store).TryAcquireAsync(Cancel);
        Assert.NotNull(killed);
        Assert.Equal(_clock.GetUtcNow() + Duration, killed.ExpiresAt);

        _clock.Advance(Duration - TimeSpan.FromSeconds(1));
        Assert.Null(await Lease(store).TryAcquireAsync(Cancel));

        _clock.Advance(TimeSpan.FromSeconds(2));
        var next = await Lease(store).TryAcquireAsync(Cancel);
        Assert.NotNull(next);

        Assert.Null(await Lease(store).RenewAsync(killed, Cancel));
        await Lease(store).ReleaseAsync(killed, Cancel);
        Assert.Null(await Lease(store).TryAcquireAsync(Cancel)); // the late release left the new holder's lease alone
        Assert.NotNull(await Lease(store).RenewAsync(next, Cancel));
    }

    [Fact]
    public async Task ARenewedLeaseHoldsPastItsFirstExpiry()
    {
        var store = await CreateStoreAsync();
        var grant = await Lease(store).TryAcquireAsync(Cancel);

        _clock.Advance(Duration * 2 / 3);
        var renewed = await Lease(store).RenewAsync(grant!, Cancel);
        _clock.Advance(Duration * 2 / 3);

        Assert.NotNull(renewed);
        Assert.True(renewed.ExpiresAt > _clock.GetUtcNow());
        Assert.Null(await Lease(store).TryAcquireAsync(Cancel));
    }

    [Fact]
    public async Task AReleasedLeaseIsFreeAtOnce()
    {
        var store = await CreateStoreAsync();
        var grant = await Lease(store).TryAcquireAsync(Cancel);

        await Lease(store).ReleaseAsync(grant!, Cancel);

        Assert.NotNull(await Lease(store).TryAcquireAsync(Cancel));
    }

    [Fact]
    public async Task ADamagedLeaseBlobHoldsNothing()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync(StoreRetrainLease.BlobName, new MemoryStream(Encoding.UTF8.GetBytes("{\"holder\": tru")), BlobCondition.None, Cancel);

        var grant = await Lease(store).TryAcquireAsync(Cancel);

        Assert.NotNull(grant);
        Assert.Null(await Lease(store).TryAcquireAsync(Cancel));
    }
}
