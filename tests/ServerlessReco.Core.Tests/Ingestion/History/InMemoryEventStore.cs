using System.Runtime.CompilerServices;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Tests.Ingestion.History;

/// <summary>The event store contract in a dictionary, recording every batch it is given; its change feed is the list of stored events in store order.</summary>
internal sealed class InMemoryEventStore : IEventStore, IEventChangeFeed
{
    private readonly Dictionary<(string User, string Id), BehaviorEvent> _events = [];
    private readonly List<BehaviorEvent> _stored = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>Called at the start of every append (to observe what the writer had read by then).</summary>
    public Action? OnAppend { get; set; }

    public IReadOnlyCollection<BehaviorEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.Values.ToList();
            }
        }
    }

    public Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default)
    {
        OnAppend?.Invoke();
        lock (_events)
        {
            BatchSizes.Add(events.Count);
            var stored = 0;
            foreach (var e in events.Where(e => _events.TryAdd((e.UserId, e.EventId), e)))
            {
                _stored.Add(e);
                stored++;
            }

            return Task.FromResult(new AppendResult(stored, events.Count - stored));
        }
    }

    public async IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(
        string userId, int limit, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = Events.Where(e => e.UserId == userId && e.Type != EventType.Impression)
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.EventId, StringComparer.Ordinal).Take(limit);
        foreach (var e in history)
        {
            yield return e;
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<BehaviorEvent> ReadAllAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in Events.Where(e => e.Timestamp >= (from ?? DateTimeOffset.MinValue) && e.Timestamp < (to ?? DateTimeOffset.MaxValue)))
        {
            yield return e;
        }

        await Task.CompletedTask;
    }

    public Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            var after = position is null ? 0 : int.Parse(position, System.Globalization.CultureInfo.InvariantCulture);
            var page = _stored.Skip(after).Take(maxEvents).ToList();
            return Task.FromResult(new ChangeFeedPage(page, (after + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)Events.Count);

    public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
