using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// The answer to an exception no function handled, the same in both hosts (the Functions app's
/// <see cref="UnexpectedErrorMiddleware"/>, the local host's own middleware): one log entry with the exception under
/// a correlation id, and a 500 <c>application/problem+json</c> carrying that id and nothing of the exception (its
/// text can name settings, paths or stored ids). Client mistakes never come here: functions answer them as 4xx.
/// </summary>
public static partial class UnexpectedErrors
{
    public const string Title = "Something went wrong on our side";

    public const string Detail = "The request could not be completed. If it keeps failing, report the correlationId.";

    /// <summary>The problem document of an unexpected failure: status 500 and the correlation id, no internals.</summary>
    public static IActionResult Problem(string correlationId) =>
        Problems.Problem(StatusCodes.Status500InternalServerError, Title, Detail, new Dictionary<string, object?> { ["correlationId"] = correlationId });

    /// <summary>Logs <paramref name="exception"/> under <paramref name="correlationId"/> and answers the request with <see cref="Problem"/>.</summary>
    public static async Task RespondAsync(HttpContext http, ILogger logger, Exception exception, string function, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(http);
        Failed(logger, exception, function, correlationId);
        if (http.Response.HasStarted)
        {
            return; // the status line is gone: the client sees a cut-off response, the log has the rest
        }

        http.Response.Clear();
        await Problem(correlationId).ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Function {Function} failed unexpectedly; correlation id {CorrelationId}")]
    private static partial void Failed(ILogger logger, Exception exception, string function, string correlationId);
}
