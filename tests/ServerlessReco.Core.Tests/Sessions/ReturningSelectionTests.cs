using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Tests.Sessions;

/// <summary>The weights for a shopper back after their visit ended, chosen on held-out returns: never worse than the obvious.</summary>
public class ReturningSelectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 300 shoppers of 80 items in 8 categories, two visits each, the second two hours after the first, both in the
    /// shopper's category: the first on three of its ten items, the second on three of its popular half (items 0–4) that
    /// the first did not touch. Within a visit a shopper goes back and forth (a, b, a, c, b): the next click is often one
    /// just seen; a return looks at items new to them.
    /// </summary>
    private static List<BehaviorEvent> Shop()
    {
        var random = new Random(5);
        var events = new List<BehaviorEvent>();
        for (var u = 0; u < 300; u++)
        {
            var category = u % 8;
            var first = Enumerable.Range(0, 10).OrderBy(_ => random.Next()).Take(3).ToList();
            var second = Enumerable.Range(0, 5).Except(first).OrderBy(_ => random.Next()).Take(3).ToList();
            foreach (var (three, v) in new[] { (first, 0), (second, 1) })
            {
                int[] clicks = three.Count == 3 ? [three[0], three[1], three[0], three[2], three[1]] : [.. three];
                for (var p = 0; p < clicks.Length; p++)
                {
                    events.Add(new BehaviorEvent
                    {
                        EventId = $"{u}:{v}:{p}", UserId = $"u{u}", ItemId = $"c{category}-{clicks[p]}", Type = EventType.Click,
                        Timestamp = Start.AddMinutes(u).AddHours(2 * v).AddSeconds(p * 20),
                    });
                }
            }
        }

        return events;
    }

    [Fact]
    public void ShoppersBackAfterTheirVisitGetWeightsChosenOnHeldOutReturnsWithoutRepeatInterest()
    {
        var choice = BlendSelection.Choose(Shop(), new TrainerOptions { Model = ModelKind.Ease }, id => id[1] - '0', new SessionNeighborOptions(), TestContext.Current.CancellationToken)!;

        // Within a visit the next click is often one just seen: repeat interest serves the visit.
        Assert.True(choice.Weights.Repeat > 0, choice.Weights.ToString());
        var back = Assert.IsType<ReturningBlend>(choice.Returning);
        // A fifth of the 300 shoppers' newest visits are held out as returns (each after a visit that had ended).
        Assert.Equal(60, back.Points);
        Assert.Equal(0, back.Weights.Repeat);
        Assert.Equal(ReturningSelection.Candidates(choice.Weights).Select(c => c.Name), back.Candidates.Select(c => c.Name));
        var chosen = Assert.Single(back.Candidates, c => c.Chosen);
        Assert.Equal(back.Weights, chosen.Weights);
        // The shopper's category says where a return looks; plain popularity over all four categories does not.
        var byName = back.Candidates.ToDictionary(c => c.Name);
        Assert.True(byName["category popularity"].Ndcg > 2 * byName["popularity"].Ndcg, string.Join("; ", back.Candidates));
        Assert.True(chosen.Ndcg >= byName["category popularity"].Ndcg - chosen.LeadStandardError - byName["category popularity"].LeadStandardError);
    }

    [Fact]
    public void TheVisitsBlendServesUnlessAnObviousListLeadsItBeyondOneStandardError()
    {
        // nDCG at 100 returns: the visit's blend finds returns 0–29 at 0.5; the second candidate 5–35 (a lead of 0.005,
        // its standard error 0.017: noise); the third 0–49 (a lead of 0.1, some five standard errors).
        double[] Found(int from, int to) => [.. Enumerable.Range(0, 100).Select(i => i >= from && i < to ? 0.5 : 0)];
        Assert.Equal(0, ReturningSelection.Pick([Found(0, 30), Found(5, 36), Found(0, 0)]));
        Assert.Equal(2, ReturningSelection.Pick([Found(0, 30), Found(5, 36), Found(0, 50)]));
        Assert.Equal(0, ReturningSelection.Pick([Found(0, 30), Found(0, 30), Found(0, 30)]));
    }

    [Fact]
    public void AListAskedForAfterTheVisitEndedGetsTheReturningWeights()
    {
        var visit = new BlendWeights(0, 0, 1, 0.5, 0);
        var back = new BlendWeights(0, 0, 1, 0, 0);
        var choice = new BlendChoice(visit, new SessionNeighborOptions(), 100, 0.5, 0.2, 0.4, 0.1) { Returning = new ReturningBlend(back, 40) };
        List<BehaviorEvent> events = [new() { EventId = "e", UserId = "u", SessionId = "s1", ItemId = "i", Type = EventType.View, Timestamp = Start }];

        Assert.Equal(visit, choice.WeightsFor(events, null, Start.AddMinutes(10)));
        Assert.Equal(back, choice.WeightsFor(events, null, Start.AddHours(1)));
        // The request names the shopper's session: still within it, however long the pause.
        Assert.Equal(visit, choice.WeightsFor(events, "s1", Start.AddHours(1)));
        Assert.Equal(visit, choice.WeightsFor(events, null, null));
        Assert.Equal(visit, (choice with { Returning = null }).WeightsFor(events, null, Start.AddHours(1)));
    }
}
