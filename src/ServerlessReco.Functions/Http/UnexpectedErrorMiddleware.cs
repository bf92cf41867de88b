using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// The Functions app's one exception handler: an exception out of an HTTP function becomes a 500 problem document
/// with the invocation id as its correlation id (<see cref="UnexpectedErrors"/>). Other triggers keep their exceptions:
/// the host logs a failed timer run and the next tick tries again.
/// </summary>
public sealed class UnexpectedErrorMiddleware(ILogger<UnexpectedErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (context.GetHttpContext() is not null)
        {
            await UnexpectedErrors.RespondAsync(context.GetHttpContext()!, logger, e, context.FunctionDefinition.Name, context.InvocationId).ConfigureAwait(false);
        }
    }
}
