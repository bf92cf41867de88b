using ServerlessReco.Core.Events;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Privacy;

/// <summary>
/// The served-list twin of <see cref="PseudonymisingEventStore"/>: a list is filed under its shopper's pseudonym, and an
/// erasure by user id erases the pseudonym's lists, so no raw user id reaches the served-list store either.
/// </summary>
public sealed class PseudonymisingServedListStore(IServedListStore inner, UserPseudonymiser pseudonyms) : IServedListStore
{
    /// <summary>The store the lists land in.</summary>
    public IServedListStore Inner => inner;

    public Task AppendAsync(ServedListRecord list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        return inner.AppendAsync(list with { UserId = pseudonyms.Pseudonymise(list.UserId) }, cancellationToken);
    }

    public IAsyncEnumerable<ServedListRecord> ReadAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(from, to, cancellationToken);

    public IAsyncEnumerable<ServedListRecord> ReadNewestAsync(DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadNewestAsync(from, limit, cancellationToken);

    public IAsyncEnumerable<ServedListRecord> ReadUserNewestAsync(string userId, DateTimeOffset from, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadUserNewestAsync(pseudonyms.Pseudonymise(userId), from, limit, cancellationToken);

    public Task<int> DeleteUserListsAsync(string userId, CancellationToken cancellationToken = default) =>
        inner.DeleteUserListsAsync(pseudonyms.Pseudonymise(userId), cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredAsync(now, cancellationToken);
}
