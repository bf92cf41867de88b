using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>
/// Impression fatigue's floor: the rule on a shopper's lists and events, and the real serving path reading the lists
/// stored (SQLite served-list store): an item shown on <see cref="ServingOptions.FatigueShowings"/> visits without being
/// taken up leaves the shopper's lists, comes back once taken up or once the window forgot the showings; lists fetched
/// again within one visit, the rule off or an anonymous shopper change nothing.
/// </summary>
public sealed class ImpressionFatigueTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private static ServedListRecord Shown(DateTimeOffset at, params string[] items) =>
        new(Guid.NewGuid().ToString("N"), "u", at, "uncertainty(0.1)", 0.1, items.Length, 0, 0,
            [.. items.Select((item, position) => new ServedListSlot(item, SlotKind.Exploit, 1, position, false))]);

    private static BehaviorEvent Did(string item, EventType type, DateTimeOffset at) => ServingShop.Event("u", item, type, at: at);

    [Fact]
    public void AnItemShownAsOftenAsTheSettingWithoutBeingTakenUpIsFatiguedAndOneShownLessIsNot()
    {
        var lists = Enumerable.Range(1, 5).Select(h => Shown(Now.AddHours(-h), "a", h <= 4 ? "b" : "c", "a")).ToList();

        var fatigued = ImpressionFatigue.Fatigued(lists, [], new EventWeights(), 5);

        Assert.Equal(["a"], fatigued); // "a" twice in one list counts once; "b" was shown on 4 visits, "c" on 1
        Assert.Empty(ImpressionFatigue.Fatigued(lists, [], new EventWeights(), 6));
        Assert.Empty(ImpressionFatigue.Fatigued(lists, [], new EventWeights(), 0));
    }

    [Fact]
    public void ShowingsWithinAVisitGapOfTheOneCountedBeforeAreTheSameVisits()
    {
        var lists = new[] { 0, 10, 20, 29, 31, 200 }.Select(m => Shown(Now.AddMinutes(-300 + m), "a")).ToList();

        Assert.Empty(ImpressionFatigue.Fatigued(lists, [], new EventWeights(), 4)); // visits at 0, 31 and 200 minutes
        Assert.Equal(["a"], ImpressionFatigue.Fatigued(lists, [], new EventWeights(), 3));
    }

    [Fact]
    public void OnlyShowingsAfterTheShoppersNewestEngagementWithTheItemCount()
    {
        var lists = Enumerable.Range(1, 6).Select(h => Shown(Now.AddHours(-h), "a", "b", "c")).ToList();
        DateTimeOffset afterThird = Now.AddHours(-3).AddMinutes(1), longBefore = Now.AddDays(-1);
        BehaviorEvent[] events =
        [
            Did("a", EventType.Click, afterThird),     // two showings since: not fatigued
            Did("b", EventType.View, longBefore),      // every showing came after: fatigued
            Did("c", EventType.Impression, afterThird), // a shop's own impression is a showing, not an engagement
        ];

        var fatigued = ImpressionFatigue.Fatigued(lists, events, new EventWeights(), 3);

        Assert.Equal(["b", "c"], fatigued.Order(StringComparer.Ordinal));
    }

    private async Task<RecommendationService> ServingAsync(ServingOptions options)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(options);
        await service.RefreshAsync();
        return service;
    }

    private static async Task<List<string>> ServeAsync(RecommendationService service, RecommendationRequest request) =>
        [.. (await service.RecommendAsync(request, Cancel)).Items.Select(i => i.ItemId)];

    /// <summary>The list the service would serve now, learned without serving it (a preview stores nothing).</summary>
    private static async Task<List<string>> PreviewAsync(RecommendationService service, RecommendationRequest request) =>
        [.. (await service.PreviewAsync(request, Cancel)).List.Items.Select(i => i.ItemId)];

    /// <summary>Stores the list as shown to <paramref name="user"/> <paramref name="ago"/> before now, as serving would have.</summary>
    private Task ShownAsync(string user, IEnumerable<string> items, TimeSpan ago) =>
        _shop.ServedLists.AppendAsync(Shown(DateTimeOffset.UtcNow - ago, [.. items]) with { UserId = user }, Cancel);

    [Fact]
    public async Task AListShownOnAsManyVisitsAsTheSettingGivesWayToTheNextBestUntilTheShopperTakesAnItemUp()
    {
        var user = _shop.ActiveUser();
        var service = await ServingAsync(new ServingOptions { FatigueShowings = 3, ExcludeSeen = false });
        var request = new RecommendationRequest(user, 5, Explore: 0);
        var today = await PreviewAsync(service, request);
        await ShownAsync(user, today, TimeSpan.FromHours(3));
        await ShownAsync(user, today, TimeSpan.FromHours(2));

        Assert.Equal(today, await ServeAsync(service, request)); // the third visit's showing
        Assert.Empty((await ServeAsync(service, request)).Intersect(today)); // three visits, nothing taken up: the next best
        var clicked = today[1];
        await _shop.Events.AppendAsync([ServingShop.Event(user, clicked, EventType.Click, at: DateTimeOffset.UtcNow)], Cancel);

        Assert.Contains(clicked, await ServeAsync(service, request));
    }

    [Fact]
    public async Task ListsFetchedAgainWithinOneVisitAreOneShowing()
    {
        var user = _shop.ActiveUser();
        var service = await ServingAsync(new ServingOptions { FatigueShowings = 2 });
        var request = new RecommendationRequest(user, 5, Explore: 0);

        var first = await ServeAsync(service, request);
        for (var page = 0; page < 5; page++)
        {
            Assert.Equal(first, await ServeAsync(service, request)); // a list on every page of the visit tires nothing
        }
    }

    [Fact]
    public async Task ShowingsOlderThanTheWindowAreForgotten()
    {
        var user = _shop.ActiveUser();
        var service = await ServingAsync(new ServingOptions { FatigueShowings = 2, FatigueWindow = TimeSpan.FromDays(7) });
        var request = new RecommendationRequest(user, 5, Explore: 0);
        var today = await PreviewAsync(service, request);
        foreach (var days in new[] { 8, 9, 10 })
        {
            await ShownAsync(user, today, TimeSpan.FromDays(days));
        }

        Assert.Equal(today, await ServeAsync(service, request)); // three visits outside the window, this one inside
        await ShownAsync(user, today, TimeSpan.FromHours(1));
        Assert.Empty((await ServeAsync(service, request)).Intersect(today)); // two inside it
    }

    [Fact]
    public async Task WithTheRuleOffOrForAnAnonymousShopperTheSameListIsServedAgainAndAgain()
    {
        var user = _shop.ActiveUser();
        var off = await ServingAsync(new ServingOptions { FatigueShowings = 0 });
        var on = _shop.Service(new ServingOptions { FatigueShowings = 1 });
        await on.RefreshAsync();
        var request = new RecommendationRequest(user, 5, Explore: 0);
        var anonymous = request with { UserId = "visitor-1", Caller = Access.Caller.Anonymous };

        var first = await ServeAsync(off, request);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, await ServeAsync(off, request));
        }

        var visitor = await ServeAsync(on, anonymous);
        Assert.Equal(visitor, await ServeAsync(on, anonymous));
    }
}
