using ServerlessReco.Core.Content;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Content as a challenger: the hold-out lists served (<see cref="HoldOutLists"/>) once with the catalogue's content
/// vectors in the model and once without; content is kept only when it is not worse beyond noise, by the gate's own rule
/// (<see cref="RetrainGate.Compare"/>: the upper end of with − without, at <see cref="RetrainOptions.StandardErrors"/>
/// standard errors, reaches −tolerance × the without figure).
/// </summary>
internal static class ContentChallenge
{
    public static ContentDecision Decide(HoldOutLists lists, ContentBuild built, RetrainOptions options, CancellationToken cancellationToken)
    {
        var catalog = lists.Catalog(built.Catalogue);
        var result = lists.Compare(lists.State(catalog, m => m), lists.State(catalog, m => m with { Content = built.Embeddings }), cancellationToken);
        var comparison = result.Comparison;
        var reason = comparison.NotWorse
            ? $"{RetrainReasons.ContentUsed(built.Items, built.Pending)}; on the hold-out nDCG@{options.K} {result.NdcgWith:F4} with content, {result.NdcgWithout:F4} without ({RetrainReasons.Interval(comparison, options.StandardErrors)})"
            : $"content lowered nDCG@{options.K} on the hold-out: {comparison.Difference:+0.0000;-0.0000;0.0000} ± {options.StandardErrors * comparison.StandardError:F4} ({result.NdcgWith:F4} with content, {result.NdcgWithout:F4} without, {options.StandardErrors:0.##} s.e., {comparison.Users:N0} users)";
        return new ContentDecision(comparison.NotWorse, reason)
        {
            NdcgWithContent = result.NdcgWith,
            NdcgWithoutContent = result.NdcgWithout,
            Comparison = comparison,
        };
    }
}
