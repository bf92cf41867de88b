using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class InteractionMatrixBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PurchaseWeighsMoreThanViewAndRatingCarriesItsValue()
    {
        var matrix = await Build(new TrainingOptions { HalfLife = null },
            Event("e1", "u", "view", EventType.View),
            Event("e2", "u", "bought", EventType.Purchase),
            Event("e3", "u", "rated", EventType.Rating, value: 3));

        Assert.True(Affinity(matrix, "u", "bought") > Affinity(matrix, "u", "view"));
        Assert.Equal(3, Affinity(matrix, "u", "rated"));
    }

    [Fact]
    public async Task AFavouriteWeighsMoreThanAClickAndLessThanACart()
    {
        var matrix = await Build(new TrainingOptions { HalfLife = null },
            Event("e1", "u", "clicked", EventType.Click),
            Event("e2", "u", "favourite", EventType.Favorite),
            Event("e3", "u", "carted", EventType.AddToCart));

        Assert.True(Affinity(matrix, "u", "favourite") > Affinity(matrix, "u", "clicked"));
        Assert.True(Affinity(matrix, "u", "favourite") < Affinity(matrix, "u", "carted"));
    }

    [Fact]
    public async Task AffinityHalvesEveryHalfLifeBeforeTheNewestEvent()
    {
        var matrix = await Build(new TrainingOptions { HalfLife = TimeSpan.FromDays(30) },
            Event("e1", "u", "old", EventType.Purchase, Now.AddDays(-60)),
            Event("e2", "u", "new", EventType.Purchase, Now));

        Assert.Equal(Affinity(matrix, "u", "new") / 4, Affinity(matrix, "u", "old"), 12);
        Assert.Equal(Now, matrix.Summary.DecayNow);
    }

    [Fact]
    public async Task DuplicateEventIdsCountOnceButRepeatedEventsAddUp()
    {
        var matrix = await Build(new TrainingOptions { HalfLife = null },
            Event("e1", "u", "i", EventType.Click),
            Event("e1", "u", "i", EventType.Click),
            Event("e2", "u", "i", EventType.Click));

        Assert.Equal(4, Affinity(matrix, "u", "i"));
        Assert.Equal(1, matrix.Summary.DuplicateEvents);
    }

    [Fact]
    public async Task ImpressionsAreIgnoredByDefault()
    {
        var matrix = await Build(new TrainingOptions(),
            Event("e1", "u", "shown", EventType.Impression),
            Event("e2", "u", "clicked", EventType.Click));

        Assert.False(matrix.Items.TryGetIndex("shown", out _));
        Assert.Equal(1, matrix.Summary.IgnoredEvents);
    }

    [Fact]
    public async Task ColdItemsAndThinUsersAreLeftOutAndCounted()
    {
        var matrix = await Build(new TrainingOptions { MinUsersPerItem = 2, MinItemsPerUser = 2 },
            Event("e1", "a", "popular", EventType.View),
            Event("e2", "b", "popular", EventType.View),
            Event("e3", "a", "also", EventType.View),
            Event("e4", "b", "also", EventType.View),
            Event("e5", "b", "niche", EventType.View),
            Event("e6", "c", "popular", EventType.View));

        Assert.Equal(["popular", "also"], matrix.Items.Ids);
        Assert.Equal(["a", "b"], matrix.Users.Ids);
        Assert.Equal(1, matrix.Summary.DroppedItems);
        Assert.Equal(1, matrix.Summary.DroppedUsers);
    }

    private static Task<InteractionMatrix> Build(TrainingOptions options, params BehaviorEvent[] events) =>
        InteractionMatrixBuilder.BuildAsync(events.ToAsyncEnumerable(), options, cancellationToken: TestContext.Current.CancellationToken);

    private static double Affinity(InteractionMatrix matrix, string user, string item)
    {
        Assert.True(matrix.Users.TryGetIndex(user, out var u));
        Assert.True(matrix.Items.TryGetIndex(item, out var i));
        var position = matrix.RowItems(u).IndexOf(i);
        return position < 0 ? 0 : matrix.RowValues(u)[position];
    }

    private static BehaviorEvent Event(string id, string user, string item, EventType type, DateTimeOffset? at = null, double? value = null) => new()
    {
        EventId = id,
        UserId = user,
        ItemId = item,
        Type = type,
        Value = value,
        Timestamp = at ?? Now,
    };
}
