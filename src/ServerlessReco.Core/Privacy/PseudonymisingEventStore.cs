using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Privacy;

/// <summary>
/// The one door between the application and an event store through which raw user ids cannot pass: every
/// user id is replaced by its pseudonym (<see cref="UserPseudonymiser"/>) on the way in, and every lookup or
/// erasure by user id looks up the pseudonym. Events read back carry pseudonyms, so training and models only
/// ever see pseudonyms. An event id derived from the event's content (<see cref="EventIdentity"/>) hashed the
/// raw id without a key, which anyone could recompute from a guessed id: it is derived again from the
/// pseudonym, which keeps it stable (the same event posted twice is still stored once) and unlinkable; an id derived
/// from the request body (which holds the raw id) is keyed again with the pseudonym for the same reason. Its change
/// feed is the store's own: rows as stored, pseudonyms already.
/// </summary>
public sealed class PseudonymisingEventStore(IEventStore inner, UserPseudonymiser pseudonyms) : IEventStore, IEventChangeFeed
{
    /// <summary>The store the events land in.</summary>
    public IEventStore Inner => inner;

    public Task<AppendResult> AppendAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(events.Select(Pseudonymise).ToList(), cancellationToken);

    public IAsyncEnumerable<BehaviorEvent> ReadUserHistoryAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadUserHistoryAsync(pseudonyms.Pseudonymise(userId), limit, cancellationToken);

    public IAsyncEnumerable<BehaviorEvent> ReadAllAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(from, to, cancellationToken);

    public IAsyncEnumerable<BehaviorEvent> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadNewestAsync(from, limit, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

    public Task<int> DeleteUserEventsAsync(string userId, CancellationToken cancellationToken = default) =>
        inner.DeleteUserEventsAsync(pseudonyms.Pseudonymise(userId), cancellationToken);

    public Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default) =>
        (inner as IEventChangeFeed ?? throw new NotSupportedException($"{inner.GetType().Name} has no change feed."))
            .ReadChangesAsync(position, maxEvents, cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredAsync(now, cancellationToken);

    private BehaviorEvent Pseudonymise(BehaviorEvent e)
    {
        var pseudonym = pseudonyms.Pseudonymise(e.UserId);
        return e with
        {
            UserId = pseudonym,
            EventId = EventIdentity.IsDerived(e) ? EventIdentity.FromContent(e with { UserId = pseudonym })
                : EventIdentity.IsPositional(e) ? EventIdentity.RekeyPositional(e.EventId, pseudonym)
                : e.EventId,
        };
    }
}
