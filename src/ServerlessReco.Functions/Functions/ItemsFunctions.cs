using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// The item catalogue: <c>PUT /api/items</c> and <c>GET /api/items/{itemId}</c>. Writing is a server route at the admin
/// level: a function key can be given to a client (where it is public), and the host's default function key opens every
/// function-level route, so with a function key anyone could rewrite the catalogue (every item <c>available:false</c>).
/// </summary>
public sealed class ItemsFunctions(IngestionService ingestion, IItemStore items, ILogger<ItemsFunctions> logger)
{
    /// <summary>Inserts or replaces one item or an array of up to 1,000; all or nothing, like events.</summary>
    [Function(nameof(UpsertItems))]
    public async Task<IActionResult> UpsertItems(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "items")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (body.Refusal is not null)
        {
            return body.Refusal;
        }

        var outcome = await ingestion.UpsertItemsAsync(body.Bytes, cancellationToken);
        if (outcome.Full is { } full)
        {
            logger.LogWarning("Refused a catalogue write: {Adding} new items on {Held} held would pass Reco:MaxCatalogItems {MaxItems}", full.Adding, full.Held, full.MaxItems);
            return Problems.CatalogueFull(full);
        }

        if (!outcome.IsAccepted)
        {
            return Problems.Validation(outcome.Errors, "Nothing was stored: fix the items named by index and put the batch again.");
        }

        logger.LogInformation("Upserted {Written} catalogue items", outcome.Stored);
        return JsonDefaults.Json(new { received = outcome.Received, upserted = outcome.Stored });
    }

    [Function(nameof(GetItem))]
    public async Task<IActionResult> GetItem(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{itemId}")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken)
    {
        if (!RouteValues.TryReadId("itemId", ref itemId, out var refusal))
        {
            return refusal;
        }

        var item = await items.GetAsync(itemId, cancellationToken);
        return item is null
            ? Problems.NotFound($"The catalogue has no item '{itemId}'.")
            : JsonDefaults.Json(item);
    }
}
