using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Access;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Anonymous twins of the three read routes under <c>public/</c>, for shops that call the API straight from a
/// browser or app without minting shopper tokens: the generic, history-free fallback. The Functions host enforces keys
/// from the attribute, which no setting can change, hence separate functions; they answer 404 unless
/// <c>Reco__AllowAnonymousReads</c> is true (and the infrastructure also disables them then). Whoever knows a user id
/// can call them, so the caller is <see cref="Caller.Anonymous"/>: no reason names the shopper's history, <c>explore</c>
/// is ignored, at most <see cref="Caller.MaxAnonymousCount"/> items, and nothing of the list is stored.
/// </summary>
public sealed class PublicRecommendationsFunctions(ListRequests lists, RequestCallers callers, IOptions<RecoOptions> options)
{
    [Function(nameof(GetPublicRecommendations))]
    public Task<IActionResult> GetPublicRecommendations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/users/{userId}/recommendations")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken) =>
        WhenAllowed(request, caller => lists.RecommendAsync(request, userId, caller, cancellationToken));

    [Function(nameof(GetPublicSimilarItems))]
    public Task<IActionResult> GetPublicSimilarItems(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/items/{itemId}/similar")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken) =>
        WhenAllowed(request, caller => lists.SimilarAsync(request, itemId, caller, cancellationToken));

    [Function(nameof(GetPublicTrending))]
    public Task<IActionResult> GetPublicTrending(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/trending")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WhenAllowed(request, caller => lists.TrendingAsync(request, caller, cancellationToken));

    // 404 rather than 401/403: to a caller without a key, a disabled anonymous route is simply not there.
    private Task<IActionResult> WhenAllowed(HttpRequest request, Func<Caller, Task<IActionResult>> read)
    {
        if (!options.Value.AllowAnonymousReads)
        {
            return Task.FromResult(Problems.NotFound(
                "Anonymous reads are disabled: call the keyed route without 'public/' with a function key, or set Reco__AllowAnonymousReads to true."));
        }

        var admission = callers.Public(request);
        return admission.Refusal is { } refusal ? Task.FromResult(refusal) : read(admission.Caller!);
    }
}
