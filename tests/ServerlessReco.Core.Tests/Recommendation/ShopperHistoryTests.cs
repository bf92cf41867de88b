using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>The one fold of a shopper's events that the collaborative model and the content profile share.</summary>
public sealed class ShopperHistoryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Two items whose vectors are at right angles: "old" along the first axis, "new" along the second.</summary>
    private static readonly ContentEmbeddings Vectors = ContentEmbeddings.Build(["old", "new"], [[1f, 0f], [0f, 1f]], new ContentOptions { Dimensions = 0, EightBit = false });

    private static BehaviorEvent View(string id, string item, DateTimeOffset at) =>
        new() { EventId = id, UserId = "u", ItemId = item, Type = EventType.View, Timestamp = at };

    [Fact]
    public void TheContentProfileLeansTowardTheNewestItem()
    {
        // One view each, a minute apart: the same event weight, so only recency can tell them apart.
        BehaviorEvent[] events = [View("e1", "old", Now.AddMinutes(-2)), View("e2", "new", Now.AddMinutes(-1))];
        var training = new TrainingOptions { HistoryHalfLife = 1 };

        var profile = ContentProfile.Of(Vectors, events, training, Now)!;

        Assert.True(Vectors.Dot(1, profile) > Vectors.Dot(0, profile), $"new {Vectors.Dot(1, profile)}, old {Vectors.Dot(0, profile)}");
        Assert.Equal(2.0, Vectors.Dot(1, profile) / Vectors.Dot(0, profile), 3); // one place back at a half-life of one place: half the weight
    }

    [Fact]
    public void WithoutAHistoryHalfLifeBothItemsWeighTheSame()
    {
        BehaviorEvent[] events = [View("e1", "old", Now.AddMinutes(-2)), View("e2", "new", Now.AddMinutes(-1))];

        var profile = ContentProfile.Of(Vectors, events, new TrainingOptions { HalfLife = null }, Now)!;

        Assert.Equal(Vectors.Dot(0, profile), Vectors.Dot(1, profile), 5);
    }

    [Fact]
    public void TheFoldCountsAnEventIdOnceAndExcludesDismissedItems()
    {
        var items = new IdIndex(["a", "b", "c"]);
        BehaviorEvent[] events =
        [
            View("e1", "a", Now.AddHours(-1)),
            View("e1", "a", Now.AddHours(-1)), // the same event delivered twice
            View("e2", "b", Now.AddHours(-1)) with { Type = EventType.Purchase },
            View("e3", "c", Now.AddHours(-1)) with { Type = EventType.Dismiss },
            View("e4", "unknown", Now.AddHours(-1)),
        ];
        var training = new TrainingOptions { HalfLife = null };

        var history = ShopperHistory.Fold(events, items, training, Now);

        Assert.Equal([0, 1], history.Items);
        Assert.Equal([1.0, 8.0], history.Affinities);
        Assert.Equal([0, 1, 2], history.Excluded.Order());
    }

    [Fact]
    public void TheFoldDecaysEachEventByTimeAndEachItemByItsPlace()
    {
        var items = new IdIndex(["a", "b", "c"]);
        BehaviorEvent[] events = [View("e1", "a", Now.AddDays(-40)), View("e2", "b", Now.AddDays(-3)), View("e3", "c", Now.AddHours(-1)), View("e4", "a", Now.AddDays(-50))];
        var training = new TrainerOptions().Data;

        var history = ShopperHistory.Fold(events, items, training, Now);

        // a: two views 40 and 50 days back (30-day decay), the oldest item, two places back (half-life 10).
        var a = (Math.Pow(0.5, 40 / 30.0) + Math.Pow(0.5, 50 / 30.0)) * Math.Pow(0.5, 2 / 10.0);
        Assert.Equal(a, history.Affinities[0], 9);
        Assert.Equal(Math.Pow(0.5, 3 / 30.0) * Math.Pow(0.5, 1 / 10.0), history.Affinities[1], 9);
        Assert.Equal(Math.Pow(0.5, (1 / 24.0) / 30.0), history.Affinities[2], 9);
    }
}
