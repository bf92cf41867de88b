using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Core.Access;
using ServerlessReco.Functions.Access;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Recommendations out: <c>GET /api/users/{userId}/recommendations</c>, <c>GET /api/items/{itemId}/similar</c>,
/// <c>GET /api/trending</c>. Always 200 with a list (from popularity when no model is loaded), 400 for a bad
/// parameter, 404 only for a similar-items request about an item nobody knows. Function key required, and a shopper
/// token (scope <c>recommendations:read</c>) when one is sent or <c>ShopperTokens:Required</c> is on
/// (<see cref="RequestCallers"/>); the anonymous twins under <c>public/</c> are <see cref="PublicRecommendationsFunctions"/>.
/// </summary>
public sealed class RecommendationsFunctions(ListRequests lists, RequestCallers callers)
{
    [Function(nameof(GetRecommendations))]
    public async Task<IActionResult> GetRecommendations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "users/{userId}/recommendations")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken)
    {
        var admission = await callers.ClientAsync(request, ShopperScopes.RecommendationsRead);
        return admission.Refusal ?? await lists.RecommendAsync(request, userId, admission.Caller!, cancellationToken);
    }

    [Function(nameof(GetSimilarItems))]
    public async Task<IActionResult> GetSimilarItems(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{itemId}/similar")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken)
    {
        var admission = await callers.ClientAsync(request, ShopperScopes.RecommendationsRead);
        return admission.Refusal ?? await lists.SimilarAsync(request, itemId, admission.Caller!, cancellationToken);
    }

    [Function(nameof(GetTrending))]
    public async Task<IActionResult> GetTrending(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trending")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var admission = await callers.ClientAsync(request, ShopperScopes.RecommendationsRead);
        return admission.Refusal ?? await lists.TrendingAsync(request, admission.Caller!, cancellationToken);
    }
}
