using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Clicks;

/// <summary>
/// The click model's features read from logged rows as they were when each list was shown: counts from earlier lists
/// only (never the row's own outcome, nor that of a slot beside it in the same list), a click resets fatigue, and the
/// shopper's history features see only the events before the list.
/// </summary>
public sealed class ClickTrainingSetTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static int Feature(string name) => Array.IndexOf(ClickFeatures.Names, name);

    private static ClickRow Row(string list, int hours, string item, int position, bool clicked, string user = "pu-a") =>
        new(user, item, list, Start.AddHours(hours), position, SlotKind.Exploit, 0.9, position, 0.5, ReasonKind.History, ClickRowOrigin.Served,
            clicked ? ClickOutcome.Clicked : ClickOutcome.None);

    [Fact]
    public void FatigueCountsEarlierListsOnlyAndAClickResetsIt()
    {
        ClickRow[] rows =
        [
            Row("rec-1", 0, "sku-1", 0, clicked: false), Row("rec-1", 0, "sku-2", 1, clicked: true),
            Row("rec-2", 24, "sku-1", 0, clicked: false), Row("rec-2", 24, "sku-2", 1, clicked: false),
            Row("rec-3", 30, "sku-1", 0, clicked: true), Row("rec-3", 30, "sku-2", 1, clicked: false),
            Row("rec-4", 48, "sku-1", 0, clicked: false),
        ];

        var set = Build(rows);

        var (fatigue, since, engaged) = (Feature("pair.shows-without-click"), Feature("pair.days-since-shown"), Feature("pair.engaged"));
        Assert.Equal([0f, 0f, 1f, 0f, 2f, 1f, 0f], [.. Enumerable.Range(0, set.Rows).Select(r => set.Row(r)[fatigue])]);
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 1f, 1f], [.. Enumerable.Range(0, set.Rows).Select(r => set.Row(r)[engaged])]);
        Assert.Equal(ClickFeatures.CapDays, set.Row(0)[since]); // never shown before
        Assert.Equal(1f, set.Row(2)[since]);
        Assert.Equal(0.75f, set.Row(6)[since], 1e-5f);
        Assert.Equal([false, true, false, false, true, false, false], set.Labels);
    }

    [Fact]
    public void TheItemRateShrinksToTheOverallRateAndSeesNoSlotOfItsOwnList()
    {
        ClickRow[] rows =
        [
            Row("rec-1", 0, "sku-1", 0, clicked: true, user: "pu-a"), Row("rec-2", 0, "sku-1", 0, clicked: true, user: "pu-b"),
            Row("rec-3", 1, "sku-1", 0, clicked: false, user: "pu-c"), Row("rec-3", 1, "sku-2", 1, clicked: false, user: "pu-c"),
        ];

        var set = Build(rows);

        var (rate, shows) = (Feature("item.ctr"), Feature("item.shows.log"));
        var overall = 2 / 4.0;
        Assert.Equal(overall, set.OverallRate);
        Assert.Equal((float)overall, set.Row(0)[rate], 1e-6f); // no earlier showing: the prior alone
        Assert.Equal((float)((1 + (ClickFeatures.PriorShows * overall)) / (1 + ClickFeatures.PriorShows)), set.Row(1)[rate], 1e-6f);
        Assert.Equal((float)Math.Log(3), set.Row(2)[shows], 1e-6f);
        Assert.Equal(0f, set.Row(3)[shows]);
        Assert.Equal(new ItemExposure(3, 2, Start.UtcTicks), set.Exposures.Items["sku-1"]);
    }

    [Fact]
    public void HistoryFeaturesSeeOnlyTheEventsBeforeTheList()
    {
        var history = new ClickHistory();
        history.Add(Event("sku-9", Start.AddHours(-2)));
        history.Add(Event("sku-1", Start.AddHours(-1)));
        history.Add(Event("sku-1", Start.AddHours(5)));
        history.Freeze(item => item == "sku-2" ? 7 : 3);

        var set = ClickTrainingSet.Build(
            [Row("rec-1", 0, "sku-1", 0, clicked: false), Row("rec-2", 10, "sku-2", 0, clicked: false)], history, item => item == "sku-2" ? 7 : 3,
            TestContext.Current.CancellationToken);

        Assert.Equal(1f, set.Row(0)[Feature("user.item-events")]);
        Assert.Equal(1f, set.Row(0)[Feature("user.category-affinity")]); // both earlier events are in category 3, as sku-1
        Assert.Equal((float)Math.Log(3), set.Row(0)[Feature("user.events.log")], 1e-6f);
        Assert.Equal((float)(1 / 24.0), set.Row(0)[Feature("user.days-since-event")], 1e-6f);
        Assert.Equal(0f, set.Row(1)[Feature("user.category-affinity")]);
        Assert.Equal((float)Math.Log(4), set.Row(1)[Feature("user.events.log")], 1e-6f);
    }

    private static ClickTrainingSet Build(ClickRow[] rows)
    {
        var history = new ClickHistory();
        history.Freeze(_ => -1);
        return ClickTrainingSet.Build(rows, history, _ => -1, TestContext.Current.CancellationToken);
    }

    private static BehaviorEvent Event(string item, DateTimeOffset at) =>
        new() { EventId = $"e-{item}-{at.UtcTicks}", UserId = "pu-a", ItemId = item, Type = EventType.View, Timestamp = at };
}
