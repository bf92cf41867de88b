using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// Every client error as RFC 9457 problem details (application/problem+json). Validation problems list each
/// bad element by index and field, so a client can fix a 1,000-event batch in one round trip.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IActionResult Validation(IReadOnlyList<ValidationError> errors, string what) =>
        Problem(StatusCodes.Status400BadRequest, "The request is invalid",
            $"{errors.Count} problem(s) found. {what}",
            new Dictionary<string, object?>
            {
                ["errors"] = errors.Select(e => new { index = e.Index, field = e.Field, message = e.Message }).ToList(),
            });

    public static IActionResult PayloadTooLarge(int maxBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large",
            $"The body must be at most {maxBytes} bytes; nothing was stored. Split the batch.");

    public static IActionResult UnsupportedMediaType(string contentType) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON",
            $"Content-Type '{contentType}' is not JSON; send application/json.");

    /// <summary>A catalogue write that would pass <c>Reco:MaxCatalogItems</c>: 422, nothing stored, the setting named.</summary>
    public static IActionResult CatalogueFull(CatalogueFull full)
    {
        ArgumentNullException.ThrowIfNull(full);
        return Problem(StatusCodes.Status422UnprocessableEntity, "The catalogue is full",
            $"The catalogue holds {full.Held} items and the batch adds {full.Adding} new ones, past Reco:MaxCatalogItems ({full.MaxItems}). " +
            "Nothing was stored: updates of items already held still go in; raise the setting for more items.",
            new Dictionary<string, object?> { ["setting"] = "Reco:MaxCatalogItems", ["maxItems"] = full.MaxItems, ["held"] = full.Held, ["adding"] = full.Adding });
    }

    public static IActionResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IActionResult BadRouteValue(string field, string message) =>
        Validation([new ValidationError(null, field, message)], "");

    public static IActionResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Type = $"https://httpstatuses.io/{status}", Title = title, Status = status, Detail = detail.Trim() };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return new JsonResult(problem, JsonDefaults.Options) { StatusCode = status, ContentType = ContentType };
    }
}

/// <summary>The JSON shape of every response: camelCase, nulls left out.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,

        // Responses are JSON documents, never embedded in HTML: readable quotes beat \u0027 escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IActionResult Json(object value, int status = StatusCodes.Status200OK) =>
        new JsonResult(value, Options) { StatusCode = status, ContentType = "application/json; charset=utf-8" };
}
