using ServerlessReco.Core.Datasets;
using ServerlessReco.Core.Evaluation;

namespace ServerlessReco.Core.Tests.Evaluation;

/// <summary>
/// MovieLens-100k and its benchmark split, read once per test run. The data lives in shared/ beside the
/// repository, never in it; tests that need it skip when it is absent.
/// </summary>
internal static class Ml100k
{
    private static readonly Lazy<(List<RatingRow> Train, List<RatingRow> Test)?> Split = new(() =>
    {
        var path = MovieLens.FindMl100k(AppContext.BaseDirectory);
        return path is null ? null : StratifiedSplit.ByItem(MovieLens.ReadRatings(path));
    });

    public static (List<RatingRow> Train, List<RatingRow> Test) RequireSplit()
    {
        var split = Split.Value;
        if (split is null)
        {
            Assert.Skip("shared/data/ml-100k/u.data is not beside the repository");
        }

        return split.Value;
    }
}
