using System.Globalization;
using ServerlessReco.Core.Datasets;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Ranking;

namespace ServerlessReco.Ranking.Tests;

public class LambdaRankRerankerTests
{
    [Fact]
    public async Task RerankedEaseOnMl100kBeatsSarAndSurvivesSaveAndLoad()
    {
        var path = MovieLens.FindMl100k(AppContext.BaseDirectory);
        if (path is null)
        {
            Assert.Skip("shared/data/ml-100k/u.data is not beside the repository");
        }

        var folder = Path.GetDirectoryName(path)!;
        var catalog = MovieLens.ReadCatalog(Path.Combine(folder, "u.item"), Path.Combine(folder, "u.genre")).ToDictionary(c => c.ItemId);
        var (train, test) = StratifiedSplit.ByItem(MovieLens.ReadRatings(path));
        var truth = OfflineEvaluation.GroupByUser(test.Select(r =>
            (r.User.ToString(CultureInfo.InvariantCulture), r.Item.ToString(CultureInfo.InvariantCulture))));

        var model = await RerankedModel.TrainAsync(train, TrainingOptions.SarBenchmark, catalog, cancellationToken: TestContext.Current.CancellationToken);
        var result = model.Evaluate(truth);
        TestContext.Current.TestOutputHelper?.WriteLine($"reranked: ndcg {result.Accuracy.Ndcg:F6} p {result.Accuracy.Precision:F6} map {result.Accuracy.Map:F6}");
        Assert.True(result.Accuracy.Ndcg > 0.45, $"nDCG@10 {result.Accuracy.Ndcg}");

        var reloaded = LambdaRankReranker.Load(model.Reranker.Save());
        var users = Enumerable.Range(0, 20).ToList();
        Assert.Equal(
            model.Reranker.RecommendTrainingUsers(model.Ease, model.Sar, model.Data, model.Items, users, 10),
            reloaded.RecommendTrainingUsers(model.Ease, model.Sar, model.Data, model.Items, users, 10));
    }
}
