using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
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

    [Fact]
    public async Task ImpressionsDoNotUseUpTheBudgetOfBehaviourEventsAndFeedTheClickFeedback()
    {
        // 50 impressions logged first (as a store may return them), then 5 clicks: with a budget of 5 behaviour events,
        // all 5 clicks still count for trending.
        var events = Enumerable.Range(0, 50).Select(i => Event(i, $"i{i % 5}", EventType.Impression, $"rec-{i / 10}"))
            .Concat(Enumerable.Range(50, 5).Select(i => Event(i, "i0", EventType.Click, "rec-0")))
            .ToAsyncEnumerable();

        var trending = await TrendingEvents.ComputeAsync(events, new EventWeights(), TimeSpan.FromDays(2), 5, Now, TestContext.Current.CancellationToken);

        Assert.Equal(5, trending.EventsRead);
        Assert.True(trending.WeightByItem["i0"] > 0);
        Assert.Equal(new ItemFeedback(10, 5), trending.Feedback["i0"]);
        Assert.Equal(new ItemFeedback(10, 0), trending.Feedback["i3"]);
    }

    [Fact]
    public async Task AnAnonymousListAndTheClicksCitingItAreNoFeedbackEvenWhenAClickIsReadBeforeTheList()
    {
        var anonymous = new Dictionary<string, string> { [ImpressionEvents.AnonymousKey] = "true" };
        BehaviorEvent[] events =
        [
            Event(0, "i1", EventType.Click, "rec-anonymous"),
            Event(1, "i1", EventType.Click, "rec-keyed"),
            .. Enumerable.Range(2, 3).Select(i => Event(i, "i1", EventType.Impression, "rec-anonymous") with { Properties = anonymous }),
            Event(5, "i1", EventType.Impression, "rec-keyed"),
        ];

        var trending = await TrendingEvents.ComputeAsync(events.ToAsyncEnumerable(), new EventWeights(), TimeSpan.FromDays(2), 10, Now, TestContext.Current.CancellationToken);

        Assert.Equal(new ItemFeedback(1, 1), trending.Feedback["i1"]);
        Assert.Equal(2, trending.EventsRead);   // both clicks are still behaviour that trends
    }

    [Fact]
    public async Task ImpressionsHaveTheirOwnCapOfTenPerBudgetedEvent()
    {
        var events = Enumerable.Range(0, 100).Select(i => Event(i, "i1", EventType.Impression, "rec-1")).ToAsyncEnumerable();

        var trending = await TrendingEvents.ComputeAsync(events, new EventWeights(), TimeSpan.FromDays(2), 3, Now, TestContext.Current.CancellationToken);

        Assert.Equal(30, trending.Feedback["i1"].Impressions);
    }
}
