using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Anonymous twins of the three read routes under <c>public/</c>, for shops that call the API straight from a
/// browser or app, where a function key cannot be kept secret. The Functions host enforces keys from the
/// attribute, which no setting can change, hence separate functions; they answer 404 unless
/// <c>Reco__AllowAnonymousReads</c> is true (and the infrastructure also disables them then). Whoever knows a user id
/// can call them, so they answer as to an anonymous caller: no reason names the shopper's history, <c>explore</c> is
/// ignored, at most <see cref="RecommendationsFunctions.MaxAnonymousCount"/> items, and the list is logged as anonymous.
/// </summary>
public sealed class PublicRecommendationsFunctions(RecommendationsFunctions keyed, IOptions<RecoOptions> options)
{
    [Function(nameof(GetPublicRecommendations))]
    public Task<IActionResult> GetPublicRecommendations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/users/{userId}/recommendations")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken) =>
        WhenAllowed(() => keyed.RecommendAsync(request, userId, anonymous: true, cancellationToken));

    [Function(nameof(GetPublicSimilarItems))]
    public Task<IActionResult> GetPublicSimilarItems(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/items/{itemId}/similar")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken) =>
        WhenAllowed(() => keyed.SimilarAsync(request, itemId, anonymous: true, cancellationToken));

    [Function(nameof(GetPublicTrending))]
    public Task<IActionResult> GetPublicTrending(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/trending")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WhenAllowed(() => keyed.TrendingAsync(request, anonymous: true, cancellationToken));

    // 404 rather than 401/403: to a caller without a key, a disabled anonymous route is simply not there.
    private Task<IActionResult> WhenAllowed(Func<Task<IActionResult>> read) =>
        options.Value.AllowAnonymousReads
            ? read()
            : Task.FromResult(Problems.NotFound(
                "Anonymous reads are disabled: call the keyed route without 'public/' with a function key, or set Reco__AllowAnonymousReads to true."));
}
