using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The click model's second judge: the temporal hold-out of the recall model, served (<see cref="HoldOutLists"/>) as the
/// published version would serve it, with the click model re-ranking the candidates and without. The off-policy gate
/// (<see cref="Clicks.ClickModelGate"/>) can compare orderings only of the slots that were shown; the re-ranking also
/// decides which of the candidate pool's items reach the list at all, which no logged list can judge. Where the click
/// model has learnt from too few clicks, it can pull items the recall model ranks far down over the ones shoppers take
/// next (measured in the MovieLens-fitted world: explore=0 earned about a third fewer expected clicks with it than
/// without), and the off-policy gate, blind to those items, lets it serve. So it serves only when this comparison too
/// finds it not worse beyond noise, by the gate's own rule.
/// </summary>
internal static class ClickModelChallenge
{
    /// <param name="content">The content vectors the published version carries, or null: both lists are served as it will be.</param>
    public static HoldOutListComparison Compare(
        HoldOutLists lists, IReadOnlyList<CatalogItem> catalogue, ClickModel model, ContentEmbeddings? content, CancellationToken cancellationToken)
    {
        var catalog = lists.Catalog(catalogue);
        return lists.Compare(lists.State(catalog, m => m with { Content = content }), lists.State(catalog, m => m with { Content = content, Clicks = model }), cancellationToken);
    }

    /// <summary>The decision after both judges: the off-policy one's, unless the hold-out lists put the click model below beyond noise.</summary>
    public static ClickModelDecision Decide(ClickModelDecision offPolicy, HoldOutListComparison holdOut, RetrainOptions options)
    {
        var c = holdOut.Comparison;
        var figures = $"nDCG@{options.K} {holdOut.NdcgWith:F4} with it, {holdOut.NdcgWithout:F4} without ({RetrainReasons.Interval(c, options.StandardErrors)})";
        var reason = c.NotWorse
            ? $"{offPolicy.Reason}; on the recall hold-out's lists {figures}"
            : $"{offPolicy.Reason}, but it lowered the recall hold-out's lists: {figures}";
        return offPolicy with
        {
            Serves = offPolicy.Serves && c.NotWorse,
            Reason = reason,
            NdcgWithClickModel = holdOut.NdcgWith,
            NdcgWithoutClickModel = holdOut.NdcgWithout,
            HoldOut = c,
        };
    }
}
