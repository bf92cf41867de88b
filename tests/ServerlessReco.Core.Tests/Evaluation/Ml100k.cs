using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;
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

    private static readonly Lazy<InteractionMatrix> SarTrain = new(() =>
        InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(RequireSplit().Train), TrainingOptions.SarBenchmark).GetAwaiter().GetResult());

    private static readonly Lazy<Dictionary<string, IReadOnlySet<string>>> TestByUser = new(() =>
        OfflineEvaluation.GroupByUser(RequireSplit().Test.Select(r => (r.User.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Item.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

    public static (List<RatingRow> Train, List<RatingRow> Test) RequireSplit()
    {
        var split = Split.Value;
        if (split is null)
        {
            Assert.Skip("shared/data/ml-100k/u.data is not beside the repository");
        }

        return split.Value;
    }

    /// <summary>The training rows as SAR's benchmark weighs them: rating × 30-day half-life decay.</summary>
    public static InteractionMatrix RequireSarTrain()
    {
        RequireSplit();
        return SarTrain.Value;
    }

    public static Dictionary<string, IReadOnlySet<string>> RequireTest()
    {
        RequireSplit();
        return TestByUser.Value;
    }
}
