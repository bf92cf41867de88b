using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>The exploration log holds at most its bound of slots, whatever a window of lists and events holds.</summary>
public sealed class ExplorationLogBoundTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ServedListRecord List(int n) => new(
        $"rec-{n}", $"u{n}", At, "epsilon-greedy(0.1)", 0.1, 2, 10, 0,
        [new ServedListSlot("i1", SlotKind.Exploit, 0.9, 0, false), new ServedListSlot("i2", SlotKind.Explore, 0.1, 5, true)]);

    private static BehaviorEvent Click(int n, string item) => new()
    {
        EventId = $"c-{n}-{item}", UserId = $"u{n}", ItemId = item, Type = EventType.Click, Timestamp = At.AddMinutes(1), RecommendationId = $"rec-{n}",
    };

    [Fact]
    public async Task ListsBeyondTheBoundAreLeftOutAndCountedAndTheirRewardsHoldNoSlot()
    {
        var lists = Enumerable.Range(0, 10).Select(List).ToAsyncEnumerable();
        var clicks = Enumerable.Range(0, 10).Select(n => Click(n, "i1")).Concat([Click(0, "i1"), Click(3, "unknown-item")]).ToAsyncEnumerable();

        var log = await ExplorationLog.ReadAsync(lists, clicks, TestContext.Current.CancellationToken, maxSlots: 6);

        Assert.Equal(6, log.Slots.Count); // three lists of two slots
        Assert.Equal(7, log.ListsLeftOut);
        Assert.Equal(3, log.Slots.Count(s => s.Clicked)); // lists 0-2; the repeated click on list 0 counts once
        Assert.Equal(8, log.UnattributedRewards); // the clicks on the 7 lists left out, and list 3's click on an item it did not show
    }

    [Fact]
    public async Task WithinTheBoundEverySlotIsHeld()
    {
        var log = await ExplorationLog.ReadAsync(
            Enumerable.Range(0, 10).Select(List).ToAsyncEnumerable(), Enumerable.Range(0, 10).Select(n => Click(n, "i2")).ToAsyncEnumerable(),
            TestContext.Current.CancellationToken);

        Assert.Equal(20, log.Slots.Count);
        Assert.Equal(0, log.ListsLeftOut);
        Assert.Equal(10, log.Slots.Count(s => s.Clicked));
        Assert.Equal(0, log.UnattributedRewards);
    }
}
