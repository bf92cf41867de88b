using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>Pruning against an operator: a version rolled back to while old versions are being deleted is kept.</summary>
public abstract partial class RetrainContract
{
    [Fact]
    public async Task AVersionRolledBackToWhilePruningRunsIsNotDeleted()
    {
        var inner = await CreateStoreAsync();
        await LoadShopAsync();
        var registry = new ModelRegistry(inner, TimeProvider.System);
        var trained = await Service(inner).RunAsync(Cancel);
        var artifact = (await registry.LoadAsync(trained.Version!, Cancel))!;
        var versions = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            versions.Add(await PublishCopyAsync(registry, artifact, $"20990101T00000{i}Z-0000"));
        }

        await registry.RollbackAsync(versions[4], "newest", Cancel);

        // Pruning goes newest first (v3, v2, v1, then the trained one); the operator rolls back to v1 as the first deletion starts.
        var store = new BeforeFirstDelete(inner, () => registry.RollbackAsync(versions[0], "rollback by admin", Cancel));
        var deleted = await new ModelRegistry(store, TimeProvider.System).PruneAsync(2, Cancel);

        Assert.Equal(versions[0], (await registry.GetCurrentAsync(Cancel))!.Pointer.Version);
        Assert.DoesNotContain(versions[0], deleted);
        Assert.NotNull(await registry.LoadAsync(versions[0], Cancel));
        Assert.Contains(versions[1], deleted);
    }

    /// <summary>A model store that runs a step (an operator's rollback) just before its first delete.</summary>
    private sealed class BeforeFirstDelete(IModelBlobStore inner, Func<Task> step) : IModelBlobStore
    {
        private int _deletes;

        public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) =>
            inner.PutAsync(name, content, condition, cancellationToken);

        public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

        public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => inner.GetETagAsync(name, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _deletes) == 1)
            {
                await step();
            }

            return await inner.DeleteAsync(name, cancellationToken);
        }
    }
}
