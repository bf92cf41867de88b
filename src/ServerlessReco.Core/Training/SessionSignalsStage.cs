using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The retrain's session step: the window's histories as neighbour sessions for serving's session k-NN, and the blend of
/// the candidate families chosen on a hold-out of the window (<see cref="BlendSelection"/>), the catalogue's categories
/// read for the category family. Best effort: without it the challenger serves by its own scores, so a failure is logged.
/// </summary>
internal static class SessionSignalsStage
{
    public static async Task<SessionSignals?> BuildAsync(
        IAsyncEnumerable<BehaviorEvent> window, InteractionMatrix data, TrainerOptions trainer, IItemStore? items, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var neighbors = new SessionNeighborOptions();
            var index = SessionIndex.Build(data, neighbors.MaxSessions);
            var categories = await CategoriesAsync(items, cancellationToken).ConfigureAwait(false);
            // REVIEW: the window's events are read once more and held in memory for the hold-out (the matrix alone has
            // lost repeats and their order); bounded by the window the retrain already reads.
            var events = await window.ToListAsync(cancellationToken).ConfigureAwait(false);
            var choice = BlendSelection.Choose(events, trainer, id => categories.TryGetValue(id, out var c) ? c : -1, neighbors, cancellationToken);
            if (choice is null)
            {
                logger.LogInformation("Retrain kept the model's own scores: too few shoppers with two events to choose a blend on");
            }
            else
            {
                logger.LogInformation(
                    "Retrain chose the blend {Blend}, repeat half-life {RepeatHalfLife} events, on {BlendPoints} held-out clicks: HR@20 {BlendHitRate:F4}, MRR@20 {BlendMrr:F4} (the model alone {ModelHitRate:F4}, {ModelMrr:F4})",
                    choice.Weights.ToString(), choice.RepeatHalfLife, choice.Points, choice.HitRate, choice.Mrr, choice.ModelHitRate, choice.ModelMrr);
                logger.LogInformation("Retrain chose for shoppers back after their visit ended: {Returning}", BlendRecord.ReturningReason(choice.Returning));
            }

            return new SessionSignals(index, choice);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not build the session signals; the challenger serves by its own scores");
            return null;
        }
    }

    /// <summary>Item → category number (names compared case-insensitively, as serving does); empty without a catalogue.</summary>
    internal static async Task<Dictionary<string, int>> CategoriesAsync(IItemStore? items, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (items is null)
        {
            return result;
        }

        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        await foreach (var item in items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!string.IsNullOrWhiteSpace(item.Category))
            {
                if (!ids.TryGetValue(item.Category, out var id))
                {
                    ids[item.Category] = id = ids.Count;
                }

                result[item.ItemId] = id;
            }
        }

        return result;
    }
}
