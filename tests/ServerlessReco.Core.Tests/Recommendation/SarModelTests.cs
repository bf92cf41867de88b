using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Tests.Evaluation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class SarModelTests
{
    [Fact]
    public void SarReproducesMicrosoftRecommendersMl100kFigures()
    {
        var train = Ml100k.RequireSarTrain();
        var model = SarModel.Train(train, cancellationToken: TestContext.Current.CancellationToken);
        var result = OfflineEvaluation.Evaluate(model, train, Ml100k.RequireTest());

        Assert.Equal(0.114038, result.Accuracy.Map, 6);
        Assert.Equal(0.393819, result.Accuracy.Ndcg, 6);
        Assert.Equal(0.340615, result.Accuracy.Precision, 6);
        Assert.Equal(0.185377, result.Accuracy.Recall, 6);
    }

    [Fact]
    public void JaccardSimilarityOfTwoItemsSharingOneOfThreeUsersIsOneThird()
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null });
        builder.Add("u1", "a", 1, 0);
        builder.Add("u2", "a", 1, 0);
        builder.Add("u2", "b", 1, 0);
        builder.Add("u3", "b", 1, 0);
        var model = SarModel.Train(builder.Build(), cancellationToken: TestContext.Current.CancellationToken);

        var scores = new double[2];
        model.Score([0], [1.0], scores);
        Assert.Equal([1.0, 1 / 3.0], scores);
    }

    [Fact]
    public void MaxNeighborsKeepsOnlyTheMostSimilarItems()
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null });
        builder.Add("u1", "a", 1, 0);
        builder.Add("u1", "b", 1, 0);
        builder.Add("u2", "a", 1, 0);
        builder.Add("u2", "b", 1, 0);
        builder.Add("u2", "c", 1, 0);
        builder.Add("u3", "c", 1, 0);
        var model = SarModel.Train(builder.Build(), new SarOptions { MaxNeighbors = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        var scores = new double[3];
        model.Score([0], [1.0], scores);
        Assert.Equal(0, scores[2]);
        Assert.Equal(1.0, scores[1]);
    }
}
