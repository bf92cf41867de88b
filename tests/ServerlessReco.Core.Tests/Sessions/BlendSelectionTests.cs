using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Tests.Sessions;

/// <summary>The retrain's choice of blend weights on a hold-out of the window: each shop gets the families that work for it.</summary>
public class BlendSelectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 300 shoppers of 40 items in 4 categories, each browsing one category: 5 clicks on distinct items, then (when
    /// <paramref name="comeBack"/>) a last click back on the second item, else on a sixth new one.
    /// </summary>
    private static List<BehaviorEvent> Shop(bool comeBack)
    {
        var random = new Random(3);
        var events = new List<BehaviorEvent>();
        for (var u = 0; u < 300; u++)
        {
            var category = u % 4;
            var picks = Enumerable.Range(0, 10).OrderBy(_ => random.Next()).Take(6).Select(k => $"c{category}-{k}").ToList();
            var clicks = picks.Take(5).Append(comeBack ? picks[1] : picks[5]).ToList();
            for (var p = 0; p < clicks.Count; p++)
            {
                var at = Start.AddMinutes(u).AddSeconds(p);
                events.Add(new BehaviorEvent { EventId = $"{u}:{p}", UserId = $"u{u}", SessionId = $"u{u}", ItemId = clicks[p], Type = EventType.Click, Timestamp = at });
            }
        }

        return events;
    }

    private static BlendChoice Choose(List<BehaviorEvent> events) =>
        BlendSelection.Choose(events, new TrainerOptions { Model = ModelKind.Ease }, id => id[1] - '0', new SessionNeighborOptions(), TestContext.Current.CancellationToken)!;

    [Fact]
    public void AShopWhoseShoppersComeBackToWhatTheyClickedGetsRepeatInterest()
    {
        var choice = Choose(Shop(comeBack: true));

        Assert.True(choice.Weights.Repeat > 0, choice.Weights.ToString());
        Assert.True(choice.HitRate > choice.ModelHitRate);
        Assert.Equal(300, choice.Points);
    }

    [Fact]
    public void AShopWhoseShoppersNeverComeBackKeepsSeenItemsOut()
    {
        var choice = Choose(Shop(comeBack: false));

        Assert.Equal(0, choice.Weights.Repeat);
        Assert.True(choice.HitRate >= choice.ModelHitRate);
    }

    [Fact]
    public void TooFewShoppersWithTwoEventsChooseNothing()
    {
        var few = Shop(comeBack: true).Where(e => e.UserId is "u1" or "u2").ToList();

        Assert.Null(BlendSelection.Choose(few, new TrainerOptions { Model = ModelKind.Ease }, _ => -1, new SessionNeighborOptions(), TestContext.Current.CancellationToken));
    }
}
