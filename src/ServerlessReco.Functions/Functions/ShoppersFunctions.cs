using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/manage/users/{userId}?count=10</c> (admin key): one shopper as the operator's dashboard shows them, their
/// recent behaviour events (newest first) and the list they would get now, beside the same list without exploration.
/// Neither list is served: nothing is recorded, so a look changes no figure.
/// </summary>
public sealed class ShoppersFunctions(RecommendationService service)
{
    [Function(nameof(GetShopper))]
    public async Task<IActionResult> GetShopper(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/users/{userId}")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        userId = query.RouteId("userId", userId);
        var count = query.Count();
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var preview = await service.PreviewAsync(new RecommendationRequest(userId, count), cancellationToken);
        var withoutExploration = service.Recommend(new RecommendationRequest(userId, count, Explore: 0), preview.RecentEvents);
        return JsonDefaults.Json(new
        {
            userId,
            recentEvents = preview.RecentEvents.Reverse().Select(e => new
            {
                e.ItemId,
                type = e.Type.ToWireName(),
                e.Timestamp,
                e.Value,
                e.RecommendationId,
            }),
            recommendations = Shown(preview.List),
            withoutExploration = Shown(withoutExploration),
        });
    }

    private static object Shown(RecommendationList list) => new { list.Source, list.ModelVersion, list.Policy, list.Items };
}
