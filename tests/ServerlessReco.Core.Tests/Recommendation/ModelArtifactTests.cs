using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class ModelArtifactTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("ease")]
    [InlineData("sar")]
    [InlineData("sequence")]
    public async Task SavedModelLoadsWithTheSameScoresAndManifest(string kind)
    {
        var artifact = await Shop.Train(kind);
        artifact.AddMetrics(new Dictionary<string, double> { ["ndcg@10"] = 0.5 });
        using var stream = new MemoryStream();
        artifact.Save(stream);

        stream.Position = 0;
        var manifest = ModelArtifact.ReadManifest(stream);
        stream.Position = 0;
        var loaded = ModelArtifact.Load(stream);

        Assert.Equal(kind, manifest.ModelKind);
        Assert.Equal(ModelArtifact.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal(0.5, loaded.Manifest.Metrics["ndcg@10"]);
        Assert.Equal(artifact.Manifest.Data, loaded.Manifest.Data);
        Assert.Equal(artifact.Training.HalfLife, loaded.Training.HalfLife);
        Assert.NotNull(loaded.LoadTime);
        Assert.Equal(artifact.ItemPopularity, loaded.ItemPopularity);

        var before = new double[artifact.Model.Items.Count];
        var after = new double[loaded.Model.Items.Count];
        artifact.Model.Score([0, 2], [1.0, 2.0], before);
        loaded.Model.Score([0, 2], [1.0, 2.0], after);
        Assert.Equal(before, after);
        Assert.Equal(artifact.Model.Items.Ids, loaded.Model.Items.Ids);
    }

    [Fact]
    public void AStreamThatIsNotAModelIsRejected()
    {
        using var stream = new MemoryStream("not a model at all"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => ModelArtifact.Load(stream));
    }

    [Fact]
    public async Task RecommendsFromRecentEventsLeavingOutSeenAndDismissedItems()
    {
        var recommender = new Recommender(await Shop.Train("sar"));
        var recent = new[]
        {
            Shop.Event("r1", "newcomer", "tent", EventType.Purchase),
            Shop.Event("r2", "newcomer", "stove", EventType.Dismiss),
        };

        var list = recommender.Recommend(recent, 3, Now);

        Assert.Equal("sleeping-bag", list[0].ItemId);
        Assert.Equal("model", list[0].Source);
        Assert.DoesNotContain(list, s => s.ItemId is "tent" or "stove");
        Assert.Equal(3, list.Count);
    }

    [Fact]
    public async Task UserWithoutKnownHistoryGetsPopularItemsThatPassTheRules()
    {
        var recommender = new Recommender(await Shop.Train("ease"));

        var list = recommender.Recommend([], 2, Now, isAllowed: id => id != "tent");

        Assert.All(list, s => Assert.Equal("popular", s.Source));
        Assert.DoesNotContain(list, s => s.ItemId == "tent");
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public async Task SimilarItemsComeFromTheModel()
    {
        var recommender = new Recommender(await Shop.Train("sar"));

        var list = recommender.Similar("tent", 1);

        Assert.Equal("sleeping-bag", Assert.Single(list).ItemId);
    }

    internal static class Shop
    {
        public static Task<ModelArtifact> Train(string kind)
        {
            var events = new List<BehaviorEvent>();
            var n = 0;
            foreach (var user in Enumerable.Range(0, 6).Select(i => $"u{i}"))
            {
                events.Add(Event($"e{n++}", user, "tent", EventType.Purchase));
                events.Add(Event($"e{n++}", user, "sleeping-bag", EventType.AddToCart));
            }

            events.Add(Event($"e{n++}", "u0", "stove", EventType.View));
            events.Add(Event($"e{n++}", "u7", "mug", EventType.View));
            events.Add(Event($"e{n++}", "u8", "mug", EventType.View));
            events.Add(Event($"e{n++}", "u8", "stove", EventType.View));
            events.Add(Event($"e{n++}", "u9", "lamp", EventType.Click));
            var options = new TrainerOptions { Model = ModelKinds.Parse(kind), Ease = new EaseOptions { Lambda = 1 } };
            return Trainer.TrainAsync(events.ToAsyncEnumerable(), options, cancellationToken: TestContext.Current.CancellationToken);
        }

        public static BehaviorEvent Event(string id, string user, string item, EventType type) => new()
        {
            EventId = id,
            UserId = user,
            ItemId = item,
            Type = type,
            Timestamp = Now.AddDays(-1),
        };
    }
}
