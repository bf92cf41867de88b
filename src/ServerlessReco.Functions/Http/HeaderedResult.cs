using Microsoft.AspNetCore.Mvc;

namespace ServerlessReco.Functions.Http;

/// <summary>A result with response headers of its own, such as a 401's <c>WWW-Authenticate</c> or a 429's <c>Retry-After</c>.</summary>
public sealed class HeaderedResult(IActionResult inner, IReadOnlyDictionary<string, string> headers) : IActionResult
{
    public IActionResult Inner => inner;

    public IReadOnlyDictionary<string, string> Headers => headers;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (name, value) in headers)
        {
            context.HttpContext.Response.Headers[name] = value;
        }

        return inner.ExecuteResultAsync(context);
    }
}
