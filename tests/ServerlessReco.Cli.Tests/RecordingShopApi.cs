using ServerlessReco.Core.Events;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Tests;

/// <summary>
/// Passes every call through to a real <see cref="IShopApi"/> and writes down what went through it, in order: which
/// shopper asked on which day, which model made each list, what each retrain did, which items and organic events went in.
/// </summary>
public sealed class RecordingShopApi(IShopApi inner) : IShopApi
{
    public int Day { get; private set; } = -1;

    public List<(int Day, string UserId, ShopListResponse List)> Lists { get; } = [];

    public List<(int Day, ShopRetrain Result)> Retrains { get; } = [];

    public List<string> Items { get; } = [];

    public List<BehaviorEvent> OrganicEvents { get; } = [];

    /// <summary>The shoppers' responses to lists: clicks, add-to-carts and purchases citing a recommendationId.</summary>
    public List<BehaviorEvent> Responses { get; } = [];

    public bool Clicked(string recommendationId) => Responses.Any(e => e.RecommendationId == recommendationId && e.Type == EventType.Click);

    public DateTimeOffset Now => inner.Now;

    public Task BeginDayAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        Day++;
        return inner.BeginDayAsync(day, cancellationToken);
    }

    public Task UpsertItemsAsync(IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        Items.AddRange(items.Select(i => i.Id));
        return inner.UpsertItemsAsync(items, createdAt, cancellationToken);
    }

    public Task RecordEventsAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken)
    {
        OrganicEvents.AddRange(events.Where(e => e.RecommendationId is null));
        Responses.AddRange(events.Where(e => e.RecommendationId is not null));
        return inner.RecordEventsAsync(events, cancellationToken);
    }

    public async Task<ShopRetrain> RetrainAsync(CancellationToken cancellationToken)
    {
        var result = await inner.RetrainAsync(cancellationToken);
        Retrains.Add((Day, result));
        return result;
    }

    public Task RefreshAsync(CancellationToken cancellationToken) => inner.RefreshAsync(cancellationToken);

    public async Task<ShopListResponse> RecommendAsync(string userId, int count, CancellationToken cancellationToken)
    {
        var list = await inner.RecommendAsync(userId, count, cancellationToken);
        Lists.Add((Day, userId, list));
        return list;
    }
}
