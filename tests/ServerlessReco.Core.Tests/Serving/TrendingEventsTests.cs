using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Serving;

public class TrendingEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static BehaviorEvent Event(int i, string item, EventType type, string? list = null) => new()
    {
        EventId = $"e{i}",
        UserId = $"u{i % 7}",
        ItemId = item,
        Type = type,
        Timestamp = Now.AddMinutes(-i),
        RecommendationId = list,
    };

    private static ServedListRecord List(string id, bool anonymous, params string[] items) =>
        new(id, "u1", Now.AddMinutes(-1), "epsilon-greedy(0.1)", 0.1, items.Length, 0, 0,
            [.. items.Select(i => new ServedListSlot(i, SlotKind.Exploit, 1, 0, false))], Anonymous: anonymous);

    [Fact]
    public async Task ShownCountsComeFromServedListsAndClicksFromEventsCitingThem()
    {
        var lists = Enumerable.Range(0, 10).Select(l => List($"rec-{l}", false, "i0", "i1", "i2", "i3", "i4")).ToAsyncEnumerable();
        var events = Enumerable.Range(0, 5).Select(i => Event(i, "i0", EventType.Click, "rec-0"))
            .Append(Event(9, "i3", EventType.Impression)) // a client's own impression: neither behaviour nor budget
            .ToAsyncEnumerable();

        var trending = await TrendingEvents.ComputeAsync(events, lists, new EventWeights(), TimeSpan.FromDays(2), 10, Now, TestContext.Current.CancellationToken);

        Assert.Equal(5, trending.EventsRead);
        Assert.True(trending.WeightByItem["i0"] > 0);
        Assert.Equal(new ItemFeedback(10, 5), trending.Feedback["i0"]);
        Assert.Equal(new ItemFeedback(10, 0), trending.Feedback["i3"]);
    }

    [Fact]
    public async Task AnonymousListsAndTheClicksCitingThemFeedNothing()
    {
        var lists = new[] { List("rec-public", true, "i7"), List("rec-keyed", false, "i8") }.ToAsyncEnumerable();
        var events = new[] { Event(1, "i7", EventType.Click, "rec-public"), Event(2, "i8", EventType.Click, "rec-keyed") }.ToAsyncEnumerable();

        var trending = await TrendingEvents.ComputeAsync(events, lists, new EventWeights(), TimeSpan.FromDays(2), 100, Now, TestContext.Current.CancellationToken);

        Assert.False(trending.Feedback.ContainsKey("i7"));
        Assert.Equal(new ItemFeedback(1, 1), trending.Feedback["i8"]);
        Assert.True(trending.WeightByItem["i7"] > 0); // the click itself is still behaviour: it counts for trending
    }

    [Fact]
    public async Task ServedListsHaveABudgetOfTheirOwn()
    {
        var lists = Enumerable.Range(0, 100).Select(l => List($"rec-{l}", false, "i1")).ToAsyncEnumerable();

        var trending = await TrendingEvents.ComputeAsync(
            AsyncEnumerable.Empty<BehaviorEvent>(), lists, new EventWeights(), TimeSpan.FromDays(2), 30, Now, TestContext.Current.CancellationToken);

        Assert.Equal(30, trending.Feedback["i1"].Impressions);
    }
}
