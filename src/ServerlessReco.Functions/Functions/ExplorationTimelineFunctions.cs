using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Activity;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/manage/exploration/daily?days=14</c> (admin key): click-through and conversion per policy and slot kind,
/// day by day with their 95 % half-widths, and the share of the catalogue the served lists showed in the window. One
/// read of the window's served lists and events, as <see cref="ExplorationFunctions"/>.
/// </summary>
public sealed class ExplorationTimelineFunctions(IServedListStore servedLists, IEventStore events, ShopActivity activity, TimeProvider time)
{
    public const int DefaultDays = 14;

    [Function(nameof(GetExplorationTimeline))]
    public async Task<IActionResult> GetExplorationTimeline(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/exploration/daily")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        var days = query.ExplorationDays("days", DefaultDays);
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var now = time.GetUtcNow();
        var from = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - days), TimeSpan.Zero);
        var log = await ExplorationLog.ReadAsync(servedLists.ReadAsync(from, null, cancellationToken), events.ReadAllAsync(from, null, cancellationToken), cancellationToken);
        var timeline = ExplorationTimeline.Build(log, from, now);
        var catalogue = (await activity.GetAsync(1, cancellationToken)).Catalogue;
        return JsonDefaults.Json(new
        {
            days,
            from,
            to = now,
            timeline.ItemsShown,
            catalogueItems = catalogue.Items,
            shareShown = catalogue.Items == 0 ? 0 : Math.Min(1, timeline.ItemsShown / (double)catalogue.Items),
            perDay = timeline.Days.Select(d => new { date = d.Day, rows = d.Rows.Select(Row) }),
        });
    }

    private static object Row(OnlineFigures f) => new
    {
        f.Policy,
        f.SlotKind,
        f.Lists,
        f.Impressions,
        f.Clicks,
        f.Purchases,
        f.ClickThroughRate,
        f.ClickThroughRateMargin,
        f.ConversionRate,
        conversionRateMargin = OnlineFigures.Margin(f.ConversionRate, f.Impressions),
    };
}
