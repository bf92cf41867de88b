using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Tests.Exploration;

/// <summary>The adaptive rate's choice on seeded logs of the uncertainty policy, where what explore and exploit slots earn is known.</summary>
public sealed class AdaptiveExplorationRateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AdaptiveRateOptions Options = new();

    /// <summary>
    /// <paramref name="lists"/> lists served by the uncertainty policy at <paramref name="rate"/>, each slot clicked with
    /// <paramref name="exploit"/> or <paramref name="explore"/> by its kind, as the served-list store would log them.
    /// </summary>
    private static List<AttributedImpression> Log(double rate, int lists, double exploit, double explore, int seed = 1)
    {
        var policy = new UncertaintyPolicy(rate, 2);
        var ranked = ExplorationCandidates.Ranked();
        var rankOf = ranked.Select((c, i) => (c.ItemId, i)).ToDictionary(x => x.ItemId, x => x.i);
        var poolNew = ranked.Skip(10).Count(c => c.IsNew);
        var random = new Random(seed);
        var log = new List<AttributedImpression>();
        for (var l = 0; l < lists; l++)
        {
            var at = Start.AddMinutes(l);
            foreach (var slot in policy.Select(ranked, 10, random))
            {
                var rank = rankOf[slot.ItemId];
                var impression = new LoggedImpression(
                    $"user{l % 97}", $"rec-{l}", slot.ItemId, slot.Position, slot.Kind, slot.Propensity, policy.Name, rate, rank, 10, ranked.Count - 10, poolNew,
                    ranked[rank].IsNew, at);
                var clicked = random.NextDouble() < (slot.Kind == SlotKind.Explore ? explore : exploit);
                log.Add(new AttributedImpression(impression, clicked, false, false));
            }
        }

        return log;
    }

    /// <summary>The choice from <paramref name="rate"/> on <see cref="Log"/>'s lists served at that rate.</summary>
    private static ExplorationRateChoice Choose(double rate, int lists, double exploit, double explore, AdaptiveRateOptions? options = null) =>
        AdaptiveExplorationRate.Choose(Log(rate, lists, exploit, explore), rate, options ?? Options, 2, 1);

    private static void AssertChose(double rate, string reason, ExplorationRateChoice choice)
    {
        Assert.Equal(rate, choice.Rate);
        Assert.Contains(reason, choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ALogWhereExploringClearlyEarnsMoreMovesTheRateUpOneStep()
    {
        var choice = Choose(0.1, 3000, exploit: 0.03, explore: 0.25);

        AssertChose(0.15, "goes up", choice);
        Assert.Equal(0.1, choice.PreviousRate);
        var up = choice.Evidence.Single(e => e.Explore == 0.15);
        Assert.True(up.Gain - (1.96 * up.GainStandardError) > 0);
        Assert.Equal([0.07, 0.1, 0.15], choice.Evidence.Select(e => e.Explore));
        Assert.Equal(0, choice.Exploitation!.Explore);
    }

    [Fact]
    public void ALogWhereExplorePaysTheSameAsExploitIsNoEvidenceAndTheRateStays()
    {
        AssertChose(0.1, "stays", Choose(0.1, 3000, exploit: 0.1, explore: 0.1));
    }

    [Fact]
    public void TooFewLoggedSlotsLeaveTheRateWhereItIs()
    {
        var choice = Choose(0.1, 50, exploit: 0.03, explore: 0.9);

        AssertChose(0.1, "at least 1000 needed", choice);
        Assert.Equal(500, choice.Slots);
        Assert.Empty(choice.Evidence);
    }

    [Fact]
    public void ExploringThatCostsMoreThanTheAllowanceMovesTheRateDown()
    {
        // Explore slots never clicked, exploit slots at 20%: 0.1 costs about a tenth of explore=0's clicks, above the 5% allowed.
        AssertChose(0.07, "goes down", Choose(0.1, 3000, exploit: 0.2, explore: 0));
    }

    [Fact]
    public void ASmallCostWithinTheAllowanceKeepsTheRateThoughTheNextListAloneWouldExploitMore()
    {
        // Explore slots earn 60% of exploit's: the lower neighbour earns more on the next list beyond noise, but 0.1 costs
        // about 4% of explore=0's clicks, within the 5% paid for what exploring teaches the next model.
        var choice = Choose(0.1, 6000, exploit: 0.2, explore: 0.12);

        var down = choice.Evidence.Single(e => e.Explore == 0.07);
        Assert.True(down.Gain - (1.96 * down.GainStandardError) > 0, $"the lower rate earns more on the next list: {down}");
        AssertChose(0.1, "stays", choice);
    }

    [Fact]
    public void TheBoundsHoldAtTheMaximumTheMinimumAndForARateOutsideThem()
    {
        var bounded = Options with { Minimum = 0.05, Maximum = 0.15 };

        AssertChose(0.15, "the maximum", Choose(0.15, 3000, exploit: 0.03, explore: 0.25, bounded));
        AssertChose(0.05, "the minimum", Choose(0.05, 3000, exploit: 0.2, explore: 0, bounded));

        var above = Choose(0.4, 3000, exploit: 0.03, explore: 0.25, bounded);
        Assert.Equal(0.15, above.Rate);
        Assert.Equal(0.4, above.PreviousRate);
        Assert.All(above.Evidence, e => Assert.InRange(e.Explore, 0.05, 0.15));
    }

    [Fact]
    public void OnlySlotsServedSinceTheRateWasChosenCount()
    {
        var log = Log(0.1, 3000, exploit: 0.03, explore: 0.25);
        var choice = AdaptiveExplorationRate.Choose(log, 0.1, Options, 2, 1, since: Start.AddMinutes(2950));

        Assert.Equal(500, choice.Slots);
        Assert.Equal(0.1, choice.Rate);
    }

    [Theory]
    [InlineData(0, 0.3, 0.05)]
    [InlineData(0.2, 0.1, 0.05)]
    [InlineData(0.02, 1.5, 0.05)]
    [InlineData(0.02, 0.3, 1)]
    public void SettingsThatCouldDropTheNewArrivalSlotOrInvertTheBoundsAreRefused(double minimum, double maximum, double cost) =>
        Assert.NotNull(new AdaptiveRateOptions { Minimum = minimum, Maximum = maximum, Cost = cost }.Problem());

    [Fact]
    public void TheNewItemPromiseCountsTheItemsOfThePeriodShownWithinADayOfTheirCreation()
    {
        CatalogItem Item(string id, DateTimeOffset created) => new() { ItemId = id, CreatedAt = created };
        LoggedImpression Shown(string id, DateTimeOffset at) =>
            new("u", $"rec-{id}-{at.Ticks}", id, 9, SlotKind.Explore, 1, "uncertainty(0.1)", 0.1, -1, 9, 0, 0, true, at);
        var now = Start.AddDays(5);
        var catalogue = new[]
        {
            Item("on-time", Start.AddDays(1)), Item("late", Start.AddDays(2)), Item("never", Start.AddDays(3)),
            Item("too-new", now.AddHours(-2)), Item("before", Start.AddDays(-3)),
        };
        var slots = new[] { Shown("on-time", Start.AddDays(1).AddHours(3)), Shown("late", Start.AddDays(3.5)), Shown("too-new", now.AddHours(-1)) }
            .Select(s => new AttributedImpression(s, false, false, false)).ToList();

        var promise = NewItemPromise.Measure(catalogue, slots, Start, now);

        Assert.Equal(new NewItemPromise(3, 1), promise);
        Assert.Equal(0.3333, promise.Share);
    }
}
