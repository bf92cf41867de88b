using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

public sealed class ModelCacheTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task ChecksReadOnlyTheETagUntilANewVersionIsPromoted()
    {
        await _shop.StoreAsync();
        var artifact = await _shop.PublishAsync("v1");
        var store = new CountingModelStore(_shop.Models);
        var cache = new ModelCache(store, new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(1) });

        Assert.Equal("v1", (await cache.GetAsync(Cancel))?.Version);
        for (var i = 0; i < 5; i++)
        {
            await cache.RefreshAsync();
        }

        Assert.Equal(1, store.Downloads(ModelBlobNames.Artifact("v1")));
        Assert.Equal(1, store.Downloads(ModelBlobNames.Current));
        Assert.True(store.ETagChecks >= 6);

        await ServingShop.PublishAsync(_shop.Models, "v2", artifact);
        Assert.Equal("v2", (await cache.RefreshAsync())?.Version);
        Assert.Equal(1, store.Downloads(ModelBlobNames.Artifact("v2")));
    }

    [Fact]
    public async Task ASlowFirstLoadAnswersWithoutAModelAndSwapsItInLater()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var store = new CountingModelStore(_shop.Models) { Delay = TimeSpan.FromSeconds(1) };
        var cache = new ModelCache(store, new ServingOptions { FirstLoadWait = TimeSpan.FromMilliseconds(50) });

        var clock = Stopwatch.StartNew();
        var first = await cache.GetAsync(Cancel);
        Assert.Null(first);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(900));

        while (cache.Current is null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, Cancel);
        }

        Assert.Equal("v1", (await cache.GetAsync(Cancel))?.Version);
    }

    [Fact]
    public async Task NoPromotedModelIsNoModel()
    {
        var cache = new ModelCache(_shop.Models, new ServingOptions());

        Assert.Null(await cache.GetAsync(Cancel));
        Assert.Null(await new ModelCache(new UnreachableModelStore(), new ServingOptions()).GetAsync(Cancel));
    }

    [Fact]
    public async Task ADamagedPromotedVersionIsRefusedOnceTheOldModelKeepsServingAndTheBlobIsNotDownloadedAgain()
    {
        await _shop.StoreAsync();
        var artifact = await _shop.PublishAsync("v1");
        var store = new CountingModelStore(_shop.Models);
        var log = new Microsoft.Extensions.Logging.Testing.FakeLogger<ModelCache>();
        var cache = new ModelCache(store, new ServingOptions { ModelCheckInterval = TimeSpan.FromMilliseconds(1) }, logger: log);
        Assert.Equal("v1", (await cache.RefreshAsync())?.Version);

        await ServingShop.PublishAsync(_shop.Models, "v2", artifact);
        await DamageAsync(ModelBlobNames.Artifact("v2"));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("v1", (await cache.RefreshAsync())?.Version);
        }

        Assert.Equal(1, store.Downloads(ModelBlobNames.Artifact("v2")));
        var refusal = Assert.Single(log.Collector.GetSnapshot(), r => r.Message.StartsWith("Serving refused model version v2", StringComparison.Ordinal));
        Assert.Contains("SHA-256 does not match", refusal.Message, StringComparison.Ordinal);

        await ServingShop.PublishAsync(_shop.Models, "v3", artifact);
        Assert.Equal("v3", (await cache.RefreshAsync())?.Version);
    }

    [Fact]
    public async Task ADamagedFirstModelIsNoModelRatherThanAFailure()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        await DamageAsync(ModelBlobNames.Artifact("v1"));

        var cache = new ModelCache(_shop.Models, new ServingOptions());

        Assert.Null(await cache.RefreshAsync());
    }

    /// <summary>Flips one byte in the middle of a stored blob (a damaged copy the size of the original).</summary>
    private async Task DamageAsync(string name)
    {
        byte[] bytes;
        using (var download = (await _shop.Models.GetAsync(name, Cancel))!)
        using (var buffer = new MemoryStream())
        {
            await download.Content.CopyToAsync(buffer, Cancel);
            bytes = buffer.ToArray();
        }

        bytes[bytes.Length / 2] ^= 0x20;
        await _shop.Models.PutAsync(name, new MemoryStream(bytes), BlobCondition.None, Cancel);
    }

    private sealed class CountingModelStore(IModelBlobStore inner) : IModelBlobStore
    {
        private readonly ConcurrentDictionary<string, int> _downloads = new();
        private int _etagChecks;

        public TimeSpan Delay { get; init; }

        public int ETagChecks => Volatile.Read(ref _etagChecks);

        public int Downloads(string name) => _downloads.GetValueOrDefault(name);

        public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => inner.PutAsync(name, content, condition, cancellationToken);

        public async Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Delay, cancellationToken);
            _downloads.AddOrUpdate(name, 1, (_, n) => n + 1);
            return await inner.GetAsync(name, cancellationToken);
        }

        public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _etagChecks);
            return inner.GetETagAsync(name, cancellationToken);
        }

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
    }
}
