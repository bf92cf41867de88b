using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// A shopper's right to be forgotten: <c>DELETE /api/users/{userId}</c> erases every event of the user and every list
/// served to them at once (one partition of each store, filed under the id's pseudonym) and answers with a receipt.
/// Models hold no per-user rows (item-item weights only); the erasure log makes the next retrain drop the user's rows
/// from the training segments and train without them. No instance keeps per-user state in memory to erase: serving
/// reads the user's events from the store on every request, and trending holds sums per item, not per user. A server
/// route at the admin level (no client credential erases a shopper), and the log names who asked, never whom.
/// </summary>
public sealed class UsersFunctions(UserErasure erasure, IServedListStore servedLists, TimeProvider clock, ILogger<UsersFunctions> logger)
{
    public const string Note =
        "Every stored event of this user and every list served to them is erased; no per-user state is kept in memory; the next retrain trains without them.";

    [Function(nameof(DeleteUser))]
    public async Task<IActionResult> DeleteUser(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "users/{userId}")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken)
    {
        if (!RouteValues.TryReadId("userId", ref userId, out var refusal))
        {
            return refusal;
        }

        var erased = await erasure.EraseAsync(userId, cancellationToken);
        var listsErased = await servedLists.DeleteUserListsAsync(userId, cancellationToken);

        // Log who asked (the key's name) and the counts, never the user id: it is what was asked to be forgotten.
        logger.LogInformation("Erased a user's events and served lists at the request of {Requester}: {EventsErased} events, {ServedListsErased} lists",
            RequestCallers.Server(request).Name, erased, listsErased);
        return JsonDefaults.Json(new
        {
            userId,
            eventsErased = erased,
            servedListsErased = listsErased,
            erasedAt = clock.GetUtcNow(),
            note = Note,
        });
    }
}
