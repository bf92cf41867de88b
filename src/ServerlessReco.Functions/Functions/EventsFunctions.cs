using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>Behaviour events in: <c>POST /api/events</c>.</summary>
public sealed class EventsFunctions(IngestionService ingestion, ILogger<EventsFunctions> logger)
{
    /// <summary>
    /// One event or an array of up to 1,000. All or nothing: one invalid event rejects the batch (400, nothing
    /// stored). Idempotent: an event already stored counts as a duplicate (202 either way).
    /// </summary>
    [Function(nameof(RecordEvents))]
    public async Task<IActionResult> RecordEvents(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "events")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (body.Refusal is not null)
        {
            return body.Refusal;
        }

        var outcome = await ingestion.RecordEventsAsync(body.Bytes, cancellationToken);
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
