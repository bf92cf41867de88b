using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/openapi.json</c>: the hand-written OpenAPI document of the whole HTTP API, anonymous so that
/// client generators and API tools can fetch it. Tests keep it in step with the functions and the examples of the README and docs/
/// </summary>
public sealed class OpenApiFunctions
{
    [Function(nameof(GetOpenApiDocument))]
    public IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new ContentResult { Content = OpenApiDocument.Text, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
