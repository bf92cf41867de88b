using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Activity;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// The shop's activity for the operator's dashboard (admin key): <c>GET /api/manage/activity?days=30</c>, events per
/// day and type with the shoppers and items active, and <c>GET /api/manage/items/{itemId}</c>, one item's record,
/// similar items and trend in its category. Both read <see cref="ShopActivity"/>, which keeps the daily figures per
/// process: a page load reads today's events at most once a minute, not the whole store.
/// </summary>
public sealed class ActivityFunctions(ShopActivity activity, IItemStore items, RecommendationService service)
{
    public const int DefaultDays = 30;

    [Function(nameof(GetActivity))]
    public async Task<IActionResult> GetActivity(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/activity")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        var days = query.Int("days", 1, ShopActivity.MaxDays, DefaultDays);
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var window = await activity.GetAsync(days, cancellationToken);
        return JsonDefaults.Json(new
        {
            days,
            window.ReadAt,
            perDay = window.Days.Select(d => new
            {
                date = d.Day,
                events = Enum.GetValues<EventType>().Where(t => t != EventType.Impression).ToDictionary(t => t.ToWireName(), t => d.Counts.GetValueOrDefault(t)),
                shoppers = d.Shoppers,
                items = d.ItemEvents.Count,
            }),
            window.ActiveShoppers,
            window.ActiveItems,
            window.Catalogue,
        });
    }

    [Function(nameof(GetItemActivity))]
    public async Task<IActionResult> GetItemActivity(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/items/{itemId}")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        itemId = query.RouteId("itemId", itemId);
        var days = query.Int("days", 1, ShopActivity.MaxDays, DefaultDays);
        var count = query.Count();
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var item = await items.GetAsync(itemId, cancellationToken);
        var trend = await activity.GetItemTrendAsync(itemId, days, cancellationToken);
        if (item is null || trend is null)
        {
            return Problems.NotFound($"The catalogue has no item '{itemId}'.");
        }

        var similar = await service.SimilarAsync(itemId, count, cancellationToken);
        var trending = await service.TrendingAsync(item.Category, ServingOptions.MaxCount, cancellationToken);
        var rank = trending.Items.Select(i => i.ItemId).ToList().IndexOf(itemId);
        return JsonDefaults.Json(new
        {
            item,
            similar = similar?.Items ?? [],
            trend = new
            {
                trend.Category,
                trendingRank = rank < 0 ? (int?)null : rank + 1,
                perDay = trend.Days.Select(d => new { date = d.Day, item = d.Item, category = d.Category }),
            },
        });
    }
}
