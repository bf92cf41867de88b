using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using static ServerlessReco.Core.Tests.Recommendation.ModelArtifactTests.Shop;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>A favourite (wishlist) event is positive feedback: a shop that sends only favourites still gets a model.</summary>
public class FavoriteEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("ease")]
    [InlineData("sar")]
    public async Task AModelTrainedOnFavouritesAloneRecommendsWhatWasFavouritedTogether(string kind)
    {
        var events = new List<BehaviorEvent>();
        for (var u = 0; u < 6; u++)
        {
            events.Add(Event($"a{u}", $"u{u}", "tent", EventType.Favorite));
            events.Add(Event($"b{u}", $"u{u}", "sleeping-bag", EventType.Favorite));
            events.Add(Event($"c{u}", $"v{u}", "mug", EventType.Favorite));
            events.Add(Event($"d{u}", $"v{u}", "stove", EventType.Favorite));
        }

        var options = new TrainerOptions { Model = ModelKinds.Parse(kind), Ease = new EaseOptions { Lambda = 1 } };
        var recommender = new Recommender(await Trainer.TrainAsync(events.ToAsyncEnumerable(), options, cancellationToken: TestContext.Current.CancellationToken));

        var list = recommender.Recommend([Event("n", "new", "tent", EventType.Favorite)], 1, Now);

        Assert.Equal("sleeping-bag", Assert.Single(list).ItemId);
        Assert.Equal("model", list[0].Source);
    }
}
