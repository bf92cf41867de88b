using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Tests.Evaluation;
using ServerlessReco.Lab.Datasets;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Recommendation;

public class ServingMatchesOfflineTests
{
    [Theory]
    [InlineData("sar")]
    [InlineData("ease")]
    public async Task TheApisListForAUsersEventsIsTheListTheBenchmarkScored(string kind)
    {
        var cancel = TestContext.Current.CancellationToken;
        var (train, _) = Ml100k.RequireSplit();
        var options = new TrainerOptions { Model = ModelKinds.Parse(kind), Data = TrainingOptions.SarBenchmark, Sar = new SarOptions() };
        var artifact = await Trainer.TrainAsync(MovieLens.AsEvents(train, cancel), options, cancellationToken: cancel);
        var data = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(train, cancel), TrainingOptions.SarBenchmark, cancellationToken: cancel);
        var now = artifact.Manifest.Data!.DecayNow!.Value;

        // The service the HTTP API calls, over an empty catalogue, with exploration and new-arrival slots off: the model's list.
        using var stores = new EmbeddedStores();
        await ServingShop.PublishAsync(stores.Models, "v1", artifact);
        var serving = new ServingOptions { Explore = 0, NewArrivalSlots = 0, LogServedLists = false };
        var clock = new FakeTimeProvider(now);
        var service = new RecommendationService(new ModelCache(stores.Models, serving, clock), stores.Items, stores.Events, stores.ServedLists, serving, clock);
        await service.RefreshAsync();

        foreach (var userId in new[] { "1", "42", "943" })
        {
            var user = data.Users.TryGetIndex(userId, out var u) ? u : throw new InvalidOperationException(userId);
            var offline = OfflineEvaluation.RecommendTrainingUsers(artifact.Model, data, [user], 10)[user].Select(i => data.Items[i]).ToList();
            var events = train.Where(r => r.User.ToString(System.Globalization.CultureInfo.InvariantCulture) == userId).Select(r => r.ToEvent()).OrderBy(e => e.Timestamp).ToList();

            var served = service.Recommend(new RecommendationRequest(userId, 10), events);
            var bareEngine = service.Models.Current!.Recommender.Recommend(events, 10, now);

            Assert.Equal(ServingSource.Model, served.Source);
            Assert.Equal(offline, served.Items.Select(i => i.ItemId));
            Assert.Equal(offline, bareEngine.Select(s => s.ItemId));
        }
    }
}
