using ServerlessReco.Functions.Http;

namespace ServerlessReco.LocalHost;

/// <summary>
/// What the local host refuses before any route runs, because it runs on a developer's machine next to a browser:
/// a body that is not JSON (415 problem, on every route), since a web page may send a <c>text/plain</c>, form or
/// multipart body to any address without asking first (no CORS preflight), so without this any page the operator
/// opens could post events or start a retrain through their browser; and, until the host is ready (the first model
/// of <c>--sample-shop</c> is in), every request (503 problem with <c>Retry-After</c>). A POST without a body type
/// and without a key header is refused the same way (415): it is the one other request a page can send unasked.
/// </summary>
public static class LocalRequestGuards
{
    public static IApplicationBuilder UseLocalRequestGuards(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var readiness = app.ApplicationServices.GetRequiredService<LocalReadiness>();
        return app.Use(async (context, next) =>
        {
            if (!readiness.IsReady)
            {
                context.Response.Headers.RetryAfter = "5";
                await WriteAsync(context, Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Starting",
                    "The local host is loading the sample shop and training its first model; ask again in a few seconds."));
                return;
            }

            if (context.Request.ContentType is { } contentType && !RequestBody.IsJson(contentType))
            {
                await WriteAsync(context, Problems.UnsupportedMediaType(contentType));
                return;
            }

            if (IsSimpleBodilessPost(context.Request))
            {
                await WriteAsync(context, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON",
                    "A POST without a Content-Type or a key header is refused here; send application/json (an empty body may be {})."));
                return;
            }

            await next(context);
        });
    }

    /// <summary>
    /// A POST with neither a content type nor a key header is what any web page can send without a CORS preflight
    /// (<c>fetch(url, {method: "POST", mode: "no-cors"})</c>): without this, a page the operator opens could start a
    /// retrain through their browser when no admin key is set. A key header (or a JSON body) forces the preflight, which
    /// the local host does not answer, so the dashboard's own bodiless calls with their key keep working.
    /// </summary>
    private static bool IsSimpleBodilessPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.ContentType is null
        && !request.Headers.ContainsKey("x-functions-key") && !request.Headers.ContainsKey("Authorization");

    private static Task WriteAsync(HttpContext context, Microsoft.AspNetCore.Mvc.IActionResult result) =>
        result.ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
}

/// <summary>
/// Whether the local host serves yet: at once, unless <c>--sample-shop</c> marks it not ready until its first model is
/// in, so the first list a newcomer sees is the model's, not the popularity fallback.
/// </summary>
public sealed class LocalReadiness
{
    private volatile bool _ready = true;

    public bool IsReady => _ready;

    public void NotReady() => _ready = false;

    public void Ready() => _ready = true;
}
