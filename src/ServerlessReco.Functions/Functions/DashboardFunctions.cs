using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/dashboard</c> and its files under <c>/api/dashboard/{asset}</c>: the operator's dashboard, anonymous
/// because it holds no data. Every figure it shows comes from the <c>manage/</c> routes, with the admin key the operator
/// pastes into the page (kept in the tab's sessionStorage, never sent anywhere else).
/// </summary>
public sealed class DashboardFunctions
{
    [Function(nameof(GetDashboard))]
    public IActionResult GetDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        Serve(request, DashboardAssets.Page);

    [Function(nameof(GetDashboardAsset))]
    public IActionResult GetDashboardAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{asset}")] HttpRequest request,
        string asset) =>
        Serve(request, asset);

    private static IActionResult Serve(HttpRequest request, string asset)
    {
        if (!DashboardAssets.TryGet(asset, out var content, out var contentType))
        {
            return Problems.NotFound($"The dashboard has no file '{asset}'.");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = DashboardAssets.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return new FileContentResult(content, contentType);
    }
}
