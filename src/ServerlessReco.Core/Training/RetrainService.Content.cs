using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Training;

/// <summary>The embed step of a run: content vectors only for texts that carry information, and the decision for the version record.</summary>
public sealed partial class RetrainService
{
    /// <summary>
    /// The embed step: the content vectors of the items whose texts carry information, only new or changed texts through
    /// the transformer, and whether content is used and why (for the version record). Best effort: without them the
    /// challenger serves as before (unknown items get no content score), so a failure here is logged.
    /// </summary>
    private async Task<(ContentBuild? Build, ContentDecision? Decision)> EmbedAsync(CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return (null, null);
        }

        try
        {
            var (built, whyNone) = await content.BuildOrExplainAsync(cancellationToken).ConfigureAwait(false);
            if (built is null)
            {
                logger.LogInformation("Retrain uses no content vectors: {ContentReason}", whyNone);
                return (null, new ContentDecision(false, whyNone ?? "no content vectors"));
            }

            logger.LogInformation(
                "Retrain embedded {EmbeddedTexts} new or changed item texts with {ContentModel} ({ReusedItems} of {ContentItems} items from the cache) in {EmbeddingSeconds:F2} s; {PendingItems} items wait for a later run (the embedding budget ran out)",
                built.Embedded, content.Embedder.Name, built.Reused, built.Items, built.Seconds, built.Pending);
            return (built, new ContentDecision(true, RetrainReasons.ContentUsed(built.Items, built.Pending)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not embed the catalogue; the challenger is published without content vectors");
            return (null, new ContentDecision(false, $"embedding failed: {e.Message}"));
        }
    }

    /// <summary>
    /// Content as a challenger (<see cref="ContentChallenge"/>): the vectors go into the published model only when the
    /// hold-out lists served with content are not worse beyond noise than those served without; otherwise the model
    /// carries none, so serving has no content candidates, and the decision says by how much content lowered nDCG@K. The
    /// build itself is kept for the run's result (the embedding cache and the pending count do not depend on the decision).
    /// </summary>
    private async Task<(ContentBuild? Served, ContentDecision? Decision)> ChallengeContentAsync(
        ContentBuild? built, ContentDecision? decision, HoldOut holdOut, Func<Task<HoldOutLists>> served, CancellationToken cancellationToken)
    {
        if (built is null || holdOut.HeldOut.Count == 0)
        {
            return (built, decision);
        }

        var stopwatch = Stopwatch.StartNew();
        var lists = await served().ConfigureAwait(false);
        var challenged = ContentChallenge.Decide(lists, built, options, cancellationToken);
        logger.LogInformation(
            "Retrain content challenger: {ContentUsed} on {ContentUsers} hold-out shoppers' served lists in {ContentChallengeSeconds:F2} s ({ContentReason})",
            challenged.Used ? "used" : "not used", lists.Users, stopwatch.Elapsed.TotalSeconds, challenged.Reason);
        return (challenged.Used ? built : null, challenged);
    }

    /// <summary>The hold-out's users served from the published kind fitted on its training part (fitted here unless the score step's is that one).</summary>
    /// <param name="fitted">The challenger's kind fitted on the hold-out's training part, or null: fitted here.</param>
    private async Task<HoldOutLists> HoldOutListsAsync(
        TrainingWindow window, HoldOut holdOut, ModelArtifact? fitted, ModelKind kind, BlendChoice? blend, CancellationToken cancellationToken)
    {
        fitted ??= Trainer.Train(holdOut.Train, options.Trainer with { Model = kind }, cancellationToken: cancellationToken);
        var histories = await HoldOutHistories.ReadAsync(
            _segments.ReadAsync(window.Rows, window.From, cancellationToken), holdOut.HeldOut, HoldOutLists.UsersOf(holdOut), options.Serving.MaxRecentEvents, cancellationToken)
            .ConfigureAwait(false);
        return new HoldOutLists(holdOut, fitted, histories, blend, options);
    }
}
