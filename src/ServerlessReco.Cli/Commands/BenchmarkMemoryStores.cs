using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands;

// The stores of the in-process serving benchmark: read-only, in memory, so that only the serving path is measured.

internal sealed class MemoryItemStore(IReadOnlyList<CatalogItem> items) : IItemStore
{
    public Task<int> UpsertAsync(IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CatalogItem?> GetAsync(string itemId, CancellationToken cancellationToken = default) => Task.FromResult(items.FirstOrDefault(i => i.ItemId == itemId));

    public IAsyncEnumerable<CatalogItem> ReadAllAsync(CancellationToken cancellationToken = default) => items.ToAsyncEnumerable();
}

internal sealed class MemoryEventStore(IReadOnlyList<BehaviorEvent> events) : IEventStore
{
    public Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        events.Where(e => e.UserId == userId && e.Type != EventType.Impression).OrderByDescending(e => e.Timestamp).Take(limit).ToAsyncEnumerable();

    public IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        events.Where(e => (from is null || e.Timestamp >= from) && (to is null || e.Timestamp < to)).ToAsyncEnumerable();

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)events.Count);

    public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);
}

internal sealed class MemoryModelStore : IModelBlobStore
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public async Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        lock (_blobs)
        {
            _blobs[name] = copy.ToArray();
            return ETag(_blobs[name]);
        }
    }

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_blobs)
        {
            return Task.FromResult(_blobs.TryGetValue(name, out var bytes) ? new BlobDownload(new MemoryStream(bytes), ETag(bytes)) : null);
        }
    }

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_blobs)
        {
            return Task.FromResult(_blobs.TryGetValue(name, out var bytes) ? ETag(bytes) : null);
        }
    }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private static string ETag(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
}

/// <summary>No served lists: the in-process path neither writes nor needs any (no Thompson feedback in the benchmark).</summary>
internal sealed class MemoryServedListStore : IServedListStore
{
    public static MemoryServedListStore Empty { get; } = new();

    public Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public IAsyncEnumerable<ServedListRecord> ReadAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<ServedListRecord>();

    public Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
