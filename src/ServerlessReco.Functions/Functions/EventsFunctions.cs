using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Access;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>Behaviour events in: <c>POST /api/events</c>.</summary>
public sealed class EventsFunctions(IngestionService ingestion, RequestCallers callers, ILogger<EventsFunctions> logger)
{
    /// <summary>
    /// One event or an array of up to 1,000. All or nothing: one invalid event rejects the batch (400, nothing
    /// stored). Idempotent: an event already stored counts as a duplicate (202 either way). With a shopper token (scope
    /// <c>events:write</c>) every event must be the token's shopper's: one of another user refuses the batch (403).
    /// </summary>
    [Function(nameof(RecordEvents))]
    public async Task<IActionResult> RecordEvents(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "events")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var admission = await callers.ClientAsync(request, ShopperScopes.EventsWrite);
        if (admission.Refusal is not null)
        {
            return admission.Refusal;
        }

        var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (body.Refusal is not null)
        {
            return body.Refusal;
        }

        var outcome = await ingestion.RecordEventsAsync(body.Bytes, cancellationToken, admission.Caller);
        if (outcome.IsForbidden)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "A shopper token records its own shopper's events only",
                $"{outcome.Errors.Count} event(s) name another user than the token's subject; nothing of the batch was stored.",
                new Dictionary<string, object?> { ["errors"] = outcome.Errors.Select(e => new { index = e.Index, field = e.Field, message = e.Message }).ToList() });
        }

        if (!outcome.IsAccepted)
        {
            logger.LogInformation("Rejected an event batch with {ErrorCount} problems", outcome.Errors.Count);
            return Problems.Validation(outcome.Errors, "Nothing was stored: fix the events named by index and post the batch again.");
        }

        logger.LogInformation("Recorded {Stored} events ({Duplicates} duplicates)", outcome.Stored, outcome.Duplicates);
        return JsonDefaults.Json(
            new { received = outcome.Received, stored = outcome.Stored, duplicates = outcome.Duplicates },
            StatusCodes.Status202Accepted);
    }
}
