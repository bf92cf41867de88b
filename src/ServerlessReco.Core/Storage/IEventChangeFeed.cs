using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Storage;

/// <summary>
/// What an event store has stored since a position, oldest write first: how training reads only what changed
/// (Cosmos DB's change feed, a sequence number in SQLite). Events come back exactly as stored, so their user ids are
/// the pseudonyms the store holds. Like Cosmos DB's latest-version change feed, it reports neither erasures nor
/// expiry: an erased or expired event is simply no longer there to be read.
/// </summary>
public interface IEventChangeFeed
{
    /// <summary>
    /// Up to about <paramref name="maxEvents"/> events stored after <paramref name="position"/> (null: from the first
    /// one), and the position just after them. An empty page means nothing newer is stored yet; its position is the
    /// one to ask from next time. A position is opaque: store it as it is and pass it back.
    /// </summary>
    Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default);
}

/// <summary>One read of a change feed: the events, oldest write first, and the position after them.</summary>
public sealed record ChangeFeedPage(IReadOnlyList<BehaviorEvent> Events, string? Position);
