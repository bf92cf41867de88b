using ServerlessReco.Lab.Datasets;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Tests.Evaluation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class ServingMatchesOfflineTests
{
    [Theory]
    [InlineData("sar")]
    [InlineData("ease")]
    public async Task RecommendingFromAUsersEventsGivesTheListTheBenchmarkScored(string kind)
    {
        var (train, _) = Ml100k.RequireSplit();
        var options = new TrainerOptions { Model = ModelKinds.Parse(kind), Data = TrainingOptions.SarBenchmark, Sar = new SarOptions() };
        var artifact = await Trainer.TrainAsync(MovieLens.AsEvents(train, TestContext.Current.CancellationToken), options, cancellationToken: TestContext.Current.CancellationToken);
        var data = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(train, TestContext.Current.CancellationToken), TrainingOptions.SarBenchmark, cancellationToken: TestContext.Current.CancellationToken);
        var recommender = new Recommender(artifact);
        var now = artifact.Manifest.Data!.DecayNow!.Value;

        foreach (var userId in new[] { "1", "42", "943" })
        {
            var user = data.Users.TryGetIndex(userId, out var u) ? u : throw new InvalidOperationException(userId);
            var offline = OfflineEvaluation.RecommendTrainingUsers(artifact.Model, data, [user], 10)[user].Select(i => data.Items[i]);
            var events = train.Where(r => r.User.ToString(System.Globalization.CultureInfo.InvariantCulture) == userId).Select(r => r.ToEvent());

            var served = recommender.Recommend(events, 10, now).Select(s => s.ItemId);

            Assert.Equal(offline, served);
        }
    }
}
