using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Recommendations out: <c>GET /api/users/{userId}/recommendations</c>, <c>GET /api/items/{itemId}/similar</c>,
/// <c>GET /api/trending</c>. Always 200 with a list (from popularity when no model is loaded), 400 for a bad
/// parameter, 404 only for a similar-items request about an item nobody knows. Function key required; the
/// anonymous twins under <c>public/</c> (<see cref="PublicRecommendationsFunctions"/>) call these methods.
/// </summary>
public sealed class RecommendationsFunctions(RecommendationService service)
{
    [Function(nameof(GetRecommendations))]
    public async Task<IActionResult> GetRecommendations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "users/{userId}/recommendations")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        userId = query.RouteId("userId", userId);
        var count = query.Count();
        var category = query.Id("category");
        var sessionId = query.Id("sessionId");
        var explore = query.Fraction("explore");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.RecommendAsync(new RecommendationRequest(userId, count, category, sessionId, explore), cancellationToken);
        return JsonDefaults.Json(new { userId, list.RecommendationId, list.Source, list.ModelVersion, list.Policy, list.Items });
    }

    [Function(nameof(GetSimilarItems))]
    public async Task<IActionResult> GetSimilarItems(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{itemId}/similar")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        itemId = query.RouteId("itemId", itemId);
        var count = query.Count();
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.SimilarAsync(itemId, count, cancellationToken);
        return list is null
            ? Problems.NotFound($"Neither the model nor the catalogue knows item '{itemId}'.")
            : JsonDefaults.Json(new { itemId, list.RecommendationId, list.Source, list.ModelVersion, list.Items });
    }

    [Function(nameof(GetTrending))]
    public async Task<IActionResult> GetTrending(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trending")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        var count = query.Count();
        var category = query.Id("category");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.TrendingAsync(category, count, cancellationToken);
        return JsonDefaults.Json(new { category, list.RecommendationId, list.Source, list.ModelVersion, list.Items });
    }
}
