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
/// anonymous twins under <c>public/</c> (<see cref="PublicRecommendationsFunctions"/>) answer through the same methods
/// as an anonymous caller.
/// </summary>
public sealed class RecommendationsFunctions(RecommendationService service)
{
    /// <summary>
    /// The most items an anonymous route answers with: <c>count</c> is validated as on the keyed routes (1 to
    /// <see cref="ServingOptions.MaxCount"/>) and a larger one is served as this many, so that a caller without a key
    /// cannot page through a shopper's whole ranking.
    /// </summary>
    public const int MaxAnonymousCount = 20;

    [Function(nameof(GetRecommendations))]
    public Task<IActionResult> GetRecommendations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "users/{userId}/recommendations")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken) =>
        RecommendAsync(request, userId, anonymous: false, cancellationToken);

    [Function(nameof(GetSimilarItems))]
    public Task<IActionResult> GetSimilarItems(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{itemId}/similar")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken) =>
        SimilarAsync(request, itemId, anonymous: false, cancellationToken);

    [Function(nameof(GetTrending))]
    public Task<IActionResult> GetTrending(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trending")] HttpRequest request,
        CancellationToken cancellationToken) =>
        TrendingAsync(request, anonymous: false, cancellationToken);

    /// <summary>
    /// A personal list. An <paramref name="anonymous"/> caller gets at most <see cref="MaxAnonymousCount"/> items, its
    /// <c>explore</c> is not read at all (a caller without a key does not choose how much of the traffic experiments),
    /// and the service keeps its reasons generic and logs the list as anonymous (<see cref="RecommendationRequest.Anonymous"/>).
    /// </summary>
    internal async Task<IActionResult> RecommendAsync(HttpRequest request, string userId, bool anonymous, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        userId = query.RouteId("userId", userId);
        var count = Cap(query.Count(), anonymous);
        var category = query.Id("category");
        var sessionId = query.Id("sessionId");
        var explore = anonymous ? null : query.Fraction("explore");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.RecommendAsync(new RecommendationRequest(userId, count, category, sessionId, explore, anonymous), cancellationToken);
        return JsonDefaults.Json(new { userId, list.RecommendationId, list.Source, list.ModelVersion, list.Policy, list.Items });
    }

    internal async Task<IActionResult> SimilarAsync(HttpRequest request, string itemId, bool anonymous, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        itemId = query.RouteId("itemId", itemId);
        var count = Cap(query.Count(), anonymous);
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.SimilarAsync(itemId, count, cancellationToken);
        return list is null
            ? Problems.NotFound($"Neither the model nor the catalogue knows item '{itemId}'.")
            : JsonDefaults.Json(new { itemId, list.RecommendationId, list.Source, list.ModelVersion, list.Items });
    }

    internal async Task<IActionResult> TrendingAsync(HttpRequest request, bool anonymous, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        var count = Cap(query.Count(), anonymous);
        var category = query.Id("category");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.TrendingAsync(category, count, cancellationToken);
        return JsonDefaults.Json(new { category, list.RecommendationId, list.Source, list.ModelVersion, list.Items });
    }

    private static int Cap(int count, bool anonymous) => anonymous ? Math.Min(count, MaxAnonymousCount) : count;
}
