using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// The answer to an exception no function handled, the same in both hosts (the Functions app's
/// <see cref="UnexpectedErrorMiddleware"/>, the local host's own middleware): one log entry with the exception under
/// a correlation id, and a 500 <c>application/problem+json</c> carrying that id and nothing of the exception (its
/// text can name settings, paths or stored ids). A store fault (<see cref="StoreFaults"/>) is a 503 with
/// <c>Retry-After</c> instead: the request can succeed a moment later, and every write is safe to repeat.
/// Client mistakes never come here: functions answer them as 4xx.
/// </summary>
public static partial class UnexpectedErrors
{
    public const string Title = "Something went wrong on our side";

    public const string Detail = "The request could not be completed. If it keeps failing, report the correlationId.";

    public const string UnavailableTitle = "A store is unavailable for a moment";

    public const string UnavailableDetail =
        "A store was throttled, unavailable or too slow. Send the same request again after Retry-After seconds: what was stored counts as duplicate.";

    /// <summary>The problem document of an unexpected failure: status 500 and the correlation id, no internals.</summary>
    public static IActionResult Problem(string correlationId) =>
        Problems.Problem(StatusCodes.Status500InternalServerError, Title, Detail, new Dictionary<string, object?> { ["correlationId"] = correlationId });

    /// <summary>The problem document of a store fault: status 503 and the correlation id, no internals.</summary>
    public static IActionResult Unavailable(string correlationId) =>
        Problems.Problem(StatusCodes.Status503ServiceUnavailable, UnavailableTitle, UnavailableDetail, new Dictionary<string, object?> { ["correlationId"] = correlationId });

    /// <summary>Logs <paramref name="exception"/> under <paramref name="correlationId"/> and answers the request with <see cref="Problem"/>.</summary>
    public static async Task RespondAsync(HttpContext http, ILogger logger, Exception exception, string function, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(http);
        var storeFault = StoreFaults.IsTransient(exception, out var retryAfter);
        if (storeFault)
        {
            StoreUnavailable(logger, exception, function, correlationId);
        }
        else
        {
            Failed(logger, exception, function, correlationId);
        }

        if (http.Response.HasStarted)
        {
            return; // the status line is gone: the client sees a cut-off response, the log has the rest
        }

        http.Response.Clear();
        if (storeFault)
        {
            http.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var answer = storeFault ? Unavailable(correlationId) : Problem(correlationId);
        await answer.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Function {Function} failed unexpectedly; correlation id {CorrelationId}")]
    private static partial void Failed(ILogger logger, Exception exception, string function, string correlationId);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Function {Function} met a store fault, answered 503; correlation id {CorrelationId}")]
    private static partial void StoreUnavailable(ILogger logger, Exception exception, string function, string correlationId);
}
