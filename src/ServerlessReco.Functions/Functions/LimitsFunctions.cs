using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/manage/limits</c> (admin key): the client routes' rate limits of the instance that answers and how many
/// requests each refused since that instance started, so an operator can tell a limit that bites from one that idles.
/// </summary>
public sealed class LimitsFunctions(ClientRateLimits limits)
{
    [Function(nameof(GetLimits))]
    public IActionResult GetLimits(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/limits")] HttpRequest request) =>
        JsonDefaults.Json(limits.Report());
}
