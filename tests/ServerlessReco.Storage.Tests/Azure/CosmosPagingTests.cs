using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>Reads that span several result pages (continuation tokens), which small contract fixtures never reach.</summary>
public sealed class CosmosPagingTests : IAsyncDisposable
{
    private readonly CosmosDatabases _databases = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAllAndCountSeeEveryEventAcrossPages()
    {
        var retention = new RetentionPolicy(30);
        var store = new CosmosEventStore((await _databases.CreateAsync(retention)).Events, retention);
        var events = Enumerable.Range(0, 2_345).Select(i => Event($"u{i % 50}", $"i{i}", $"e{i}", TimeSpan.FromSeconds(i))).ToList();
        foreach (var batch in events.Chunk(IngestionLimits.MaxBatchSize))
        {
            await store.AppendAsync(batch, Cancel);
        }

        var all = new List<BehaviorEvent>();
        await foreach (var e in store.ReadAllAsync(null, null, Cancel))
        {
            all.Add(e);
        }

        Assert.Equal(events.Count, all.Select(e => (e.UserId, e.EventId)).Distinct().Count());
        Assert.Equal(events.Count, all.Count);
        Assert.Equal(events.Count, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task AUsersLongHistoryComesNewestFirstAcrossPagesAndStopsAtItsLimit()
    {
        var retention = new RetentionPolicy(30);
        var store = new CosmosEventStore((await _databases.CreateAsync(retention)).Events, retention);
        var history = Enumerable.Range(0, 750).Select(i => Event("u1", $"i{i}", $"e{i}", TimeSpan.FromMinutes(i))).ToList();
        await store.AppendAsync(history, Cancel);

        var read = new List<BehaviorEvent>();
        await foreach (var e in store.ReadUserHistoryAsync("u1", 1000, Cancel))
        {
            read.Add(e);
        }

        var newest500 = new List<BehaviorEvent>();
        await foreach (var e in store.ReadUserHistoryAsync("u1", 500, Cancel))
        {
            newest500.Add(e);
        }

        Assert.Equal(history.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal(history.Take(500).Select(e => e.EventId), newest500.Select(e => e.EventId));
        Assert.Equal(history.Count, await store.DeleteUserEventsAsync("u1", Cancel));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
