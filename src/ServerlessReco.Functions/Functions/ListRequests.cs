using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Core.Access;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// The three list answers (a personal list, similar items, trending), shared by the keyed routes
/// (<see cref="RecommendationsFunctions"/>) and their keyless twins (<see cref="PublicRecommendationsFunctions"/>): the
/// functions decide who the caller is; what that caller may see is the <see cref="Caller"/>'s rule, applied here and in
/// the service, nowhere else.
/// </summary>
public sealed class ListRequests(RecommendationService service)
{
    /// <summary>
    /// A personal list. A shopper token reads only its own shopper's list (403 otherwise); an anonymous caller gets at
    /// most <see cref="Caller.MaxAnonymousCount"/> items, its <c>explore</c> is not read at all, and the service keeps its
    /// reasons generic and stores nothing of its list.
    /// </summary>
    public async Task<IActionResult> RecommendAsync(HttpRequest request, string userId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var query = new QueryParameters(request);
        userId = query.RouteId("userId", userId);
        var count = caller.CapCount(query.Count());
        var category = query.Id("category");
        var sessionId = query.Id("sessionId");
        var explore = caller.ChoosesExploration ? query.Fraction("explore") : null;
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        if (!caller.MayActAs(userId))
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "A shopper token reads its own shopper's list only",
                "The token's subject is another user than the one in the route: ask for /users/{the token's sub}/recommendations.");
        }

        var list = await service.RecommendAsync(new RecommendationRequest(userId, count, category, sessionId, explore, caller), cancellationToken);
        return JsonDefaults.Json(new RecommendationsAnswer(userId, list.RecommendationId, list.Source, list.ModelVersion, list.Policy, list.Ranker, list.Items));
    }

    public async Task<IActionResult> SimilarAsync(HttpRequest request, string itemId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var query = new QueryParameters(request);
        itemId = query.RouteId("itemId", itemId);
        var count = caller.CapCount(query.Count());
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.SimilarAsync(itemId, count, cancellationToken);
        return list is null
            ? Problems.NotFound($"Neither the model nor the catalogue knows item '{itemId}'.")
            : JsonDefaults.Json(new SimilarAnswer(itemId, list.RecommendationId, list.Source, list.ModelVersion, list.Items));
    }

    public async Task<IActionResult> TrendingAsync(HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var query = new QueryParameters(request);
        var count = caller.CapCount(query.Count());
        var category = query.Id("category");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var list = await service.TrendingAsync(category, count, cancellationToken);
        return JsonDefaults.Json(new TrendingAnswer(category, list.RecommendationId, list.Source, list.ModelVersion, list.Items));
    }
}

/// <summary>The body of a personal list (named types rather than anonymous ones: the request log names a result's type).</summary>
public sealed record RecommendationsAnswer(
    string UserId, string RecommendationId, ServingSource Source, string? ModelVersion, string? Policy, string? Ranker, IReadOnlyList<RecommendedItem> Items);

/// <summary>The body of a similar-items list.</summary>
public sealed record SimilarAnswer(string ItemId, string RecommendationId, ServingSource Source, string? ModelVersion, IReadOnlyList<RecommendedItem> Items);

/// <summary>The body of a trending list.</summary>
public sealed record TrendingAnswer(string? Category, string RecommendationId, ServingSource Source, string? ModelVersion, IReadOnlyList<RecommendedItem> Items);
