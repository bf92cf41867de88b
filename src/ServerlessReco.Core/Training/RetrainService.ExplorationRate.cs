using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>The adaptive-rate step of a run: the exploration rate the new version serves with, chosen on the lists logged since the champion's.</summary>
public sealed partial class RetrainService
{
    /// <summary>
    /// The rate for the next period (<see cref="AdaptiveExplorationRate"/>) from the window's logged slots served since the
    /// champion was promoted, starting from the champion's chosen rate while it was chosen under the rate configured now
    /// (<see cref="ExplorationRateChoice.StartingRate"/>; else the configured one), and recording that configured rate
    /// with the choice; with the new-item promise's figure of the window. Null when the rate does not
    /// adapt: switched off, the hosts serve at explore 0 (no exploration at all, which no choice overrides), or by a
    /// policy whose rate is not valued off-policy (Thompson sampling, uniform).
    /// </summary>
    private async Task<ExplorationRateChoice?> ChooseExplorationRateAsync(TrainingWindow window, CurrentModel? champion, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var adaptive = options.AdaptiveRate;
        if (!adaptive.Enabled || !options.Serving.FollowsChosenRate)
        {
            return null;
        }

        var previous = champion is null ? null : (await registry.ReadMetricsAsync(champion.Pointer.Version, cancellationToken).ConfigureAwait(false))?.ExplorationRate;
        var configured = options.Serving.Explore;
        var current = ExplorationRateChoice.StartingRate(previous, configured);
        var since = champion?.Pointer.PromotedAt;
        var choice = AdaptiveExplorationRate.Choose(
            window.Exploration.Slots, current, adaptive, options.Serving.ExplorationBudget, options.Serving.NewItemBoost, since);
        var from = since ?? window.From ?? window.Data.Summary.From ?? started;
        if (window.From is { } windowFrom && windowFrom > from)
        {
            from = windowFrom; // the window's lists are all the log holds
        }

        choice = choice with { ConfiguredRate = configured, NewItems = await MeasureNewItemsAsync(window, from, started, cancellationToken).ConfigureAwait(false) };
        logger.LogInformation(
            "Retrain chose the exploration rate {ExplorationRate} (was {PreviousExplorationRate}) on {ExplorationSlots} logged slots: {ExplorationRateReason}; new items shown within their first day {NewItemsShown} of {NewItems}",
            choice.Rate, choice.PreviousRate, choice.Slots, choice.Reason, choice.NewItems?.ShownWithinADay, choice.NewItems?.Items);
        return choice;
    }

    /// <summary>The new-item promise's figure over [from, started): null without a catalogue (or when it cannot be read).</summary>
    private async Task<NewItemPromise?> MeasureNewItemsAsync(TrainingWindow window, DateTimeOffset from, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (items is null)
        {
            return null;
        }

        try
        {
            // Only the period's new items are kept: the catalogue itself is streamed.
            var created = new List<CatalogItem>();
            await foreach (var item in items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.CreatedAt is { } at && at >= from)
                {
                    created.Add(item);
                }
            }

            return NewItemPromise.Measure(created, window.Exploration.Slots, from, started);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Retrain could not read the catalogue for the new-item figure; the rate is chosen without it");
            return null;
        }
    }
}
