using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Privacy;

/// <summary>
/// A shopper's right to be forgotten: every stored event of theirs is erased, then their pseudonym goes into the
/// erasure log, so the next retrain drops their rows from the training segments too (a change feed does not report
/// deletes). In that order, so a change-feed read that starts after the log entry cannot find the events again; if the
/// log write fails the request fails, and a retry erases nothing more and writes the entry.
/// </summary>
public sealed class UserErasure(IEventStore events, UserPseudonymiser pseudonyms, ErasureLog erasures)
{
    /// <summary>Erases the user (by the raw id the client knows); returns how many events were erased.</summary>
    public async Task<int> EraseAsync(string userId, CancellationToken cancellationToken = default)
    {
        var erased = await events.DeleteUserEventsAsync(userId, cancellationToken).ConfigureAwait(false);
        await erasures.RecordAsync(pseudonyms.Pseudonymise(userId), cancellationToken).ConfigureAwait(false);
        return erased;
    }
}
