using ServerlessReco.Core.Access;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>
/// A list asked for anonymously (<see cref="Caller.Anonymous"/>) reveals no history, explores at the configured rate
/// only, and is not stored, so that it counts in no exploration figure or feedback, and a click citing it counts nowhere.
/// </summary>
public sealed class AnonymousServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private async Task<RecommendationService> ServiceAsync(ServingOptions options)
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(options);
        await service.RefreshAsync();
        return service;
    }

    [Fact]
    public async Task AnAnonymousListHasTheSameItemsButNoReasonNamesTheShoppersHistory()
    {
        // No exploration configured, so that both lists are the model's order.
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, NewArrivalSlots = 0, LogServedLists = false, Explore = 0 });
        var user = _shop.ActiveUser();

        var keyed = await service.RecommendAsync(new RecommendationRequest(user, 20), Cancel);
        var anonymous = await service.RecommendAsync(new RecommendationRequest(user, 20, Caller: Caller.Anonymous), Cancel);

        Assert.Contains(keyed.Items, i => i.BasedOn is not null && i.Reason.StartsWith("because you", StringComparison.Ordinal));
        Assert.Equal(keyed.Items.Select(i => i.ItemId), anonymous.Items.Select(i => i.ItemId));
        Assert.All(anonymous.Items, i => Assert.Null(i.BasedOn));
        Assert.All(anonymous.Items, i => Assert.DoesNotContain("because", i.Reason, StringComparison.Ordinal));
        Assert.Contains(anonymous.Items, i => i.Reason == "recommended for you");
    }

    [Fact]
    public async Task AnAnonymousRequestExploresAtTheConfiguredRateWhateverItAsks()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.1, LogServedLists = false });
        var user = _shop.ActiveUser();

        var keyed = await service.RecommendAsync(new RecommendationRequest(user, Explore: 1), Cancel);
        var anonymous = await service.RecommendAsync(new RecommendationRequest(user, Explore: 1, Caller: Caller.Anonymous), Cancel);

        Assert.Equal("epsilon-greedy(1)", keyed.Policy);
        Assert.Equal("epsilon-greedy(0.1)", anonymous.Policy);
    }

    [Fact]
    public async Task AnonymousListsAreNotStoredAndFeedNoExplorationFigureEstimateOrFeedback()
    {
        var service = await ServiceAsync(new ServingOptions { ExplorationPolicy = ExplorationPolicies.EpsilonGreedy, Explore = 0.2 });
        var user = _shop.ActiveUser();
        var keyed = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        var anonymous = new List<RecommendationList>();
        for (var i = 0; i < 5; i++)
        {
            anonymous.Add(await service.RecommendAsync(new RecommendationRequest(user, Caller: Caller.Anonymous), Cancel));
        }

        // A click on the first item of every list, the anonymous ones too.
        var clicks = anonymous.Prepend(keyed)
            .Select(list => ServingShop.Event(user, list.Items[0].ItemId, EventType.Click) with { RecommendationId = list.RecommendationId })
            .ToList();
        await _shop.Events.AppendAsync(clicks, Cancel);

        var stored = await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).ToListAsync(Cancel);
        Assert.Equal([keyed.RecommendationId], stored.Select(l => l.ListId));
        Assert.All(anonymous, l => Assert.True(PublicListIds.IsPublic(l.RecommendationId), l.RecommendationId));
        Assert.StartsWith("rec-", keyed.RecommendationId, StringComparison.Ordinal);

        var log = await ExplorationLog.ReadAsync(
            _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel), _shop.Events.ReadAllAsync(cancellationToken: Cancel), Cancel);
        Assert.Equal([keyed.RecommendationId], log.Slots.Select(s => s.Impression.RecommendationId).Distinct());
        Assert.Equal(keyed.Items.Count, log.Slots.Count);
        Assert.Equal(0, log.UnattributedRewards);

        var online = Assert.Single(OnlineReport.Build(log, DateTimeOffset.MinValue, DateTimeOffset.UtcNow).Rows, r => r.SlotKind == OnlineReport.AllSlots);
        Assert.Equal((1, keyed.Items.Count, 1), (online.Lists, online.Impressions, online.Clicks));

        // Thompson feedback and the long-tail sample's "shown recently" read these counts: the keyed list's only.
        var trending = await TrendingEvents.ComputeAsync(
            _shop.Events.ReadAllAsync(cancellationToken: Cancel), _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel),
            new EventWeights(), TimeSpan.FromDays(2), 100_000, DateTimeOffset.UtcNow, Cancel);
        Assert.Equal(keyed.Items.Count, trending.Feedback.Values.Sum(f => f.Impressions));
        Assert.Equal(1, trending.Feedback.Values.Sum(f => f.Clicks));
    }
}
