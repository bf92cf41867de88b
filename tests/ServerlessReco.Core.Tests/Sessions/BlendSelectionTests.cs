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
        // A fifth of the 300 visits held out whole, every click after a visit's first a point; the rest train.
        Assert.Equal(60, choice.Visits);
        Assert.Equal(60 * 5, choice.Points);
        // The model alone, then the best weights for each repeat half-life tried; the one chosen is what serves.
        Assert.Equal(1 + BlendSelection.RepeatHalfLives.Count, choice.Candidates.Count);
        Assert.True(choice.Candidates[0].Weights.IsModelOnly);
        var chosen = Assert.Single(choice.Candidates, c => c.Chosen);
        Assert.Equal((choice.Weights, choice.RepeatHalfLife, choice.HitRate, choice.Mrr), (chosen.Weights, chosen.RepeatHalfLife, chosen.HitRate, chosen.Mrr));
    }

    /// <summary>Reciprocal ranks at 100 points: hits at points <paramref name="from"/> to <paramref name="to"/> − 1, the first <paramref name="top"/> of them at rank 1, the rest at rank 10.</summary>
    private static double[] Ranks(int from, int to, int top) => [.. Enumerable.Range(0, 100).Select(i => i < from || i >= to ? 0 : i < from + top ? 1 : 0.1)];

    [Fact]
    public void AHitRateLeadWithinOneStandardErrorIsATieThatTheHigherMrrBreaks()
    {
        // 62 hits against 60 on the same points, 6 clicks only the first finds and 4 only the second (s.e. of the paired
        // difference ≈ 3.2 hits): noise. 40 of the 60 at the top beat 10 of the 62.
        Assert.Equal(1, BlendSelection.Pick([Ranks(0, 62, 10), Ranks(6, 66, 40)]));
    }

    [Fact]
    public void AHitRateLeadBeyondOneStandardErrorWinsOverAHigherMrr()
    {
        // 80 hits against 60, 20 clicks only the first finds (s.e. ≈ 4 hits): a real lead, though fewer are at the top.
        Assert.Equal(0, BlendSelection.Pick([Ranks(0, 80, 20), Ranks(0, 60, 40)]));
        Assert.Equal(0, BlendSelection.Pick([Ranks(0, 60, 40), Ranks(0, 60, 40)]));  // an exact tie keeps the earlier
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
