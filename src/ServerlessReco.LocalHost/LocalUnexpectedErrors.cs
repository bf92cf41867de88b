using ServerlessReco.Functions.Http;

namespace ServerlessReco.LocalHost;

/// <summary>
/// The local host's exception handler, answering as the Functions app's middleware does (<see cref="UnexpectedErrors"/>):
/// 500 problem+json with the request's trace identifier as correlation id. It runs first, so no exception reaches the
/// developer exception page that ASP.NET Core adds in Development: the local host answers as production would.
/// </summary>
public static class LocalUnexpectedErrors
{
    public static IApplicationBuilder UseUnexpectedErrorProblems(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnexpectedErrorMiddleware));
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e)
            {
                // The endpoint's name is the function's (LocalFunctionsHost); the path is not logged: user routes carry raw ids.
                var function = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(no function)";
                await UnexpectedErrors.RespondAsync(context, logger, e, function, context.TraceIdentifier);
            }
        });
    }
}
