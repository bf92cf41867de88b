using System.Text.Json;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions;

namespace ServerlessReco.LocalHost;

/// <summary>
/// Builds the local host: the same services as the Functions app, the Functions' HTTP routes under the
/// host.json route prefix, and the Functions host's admin API for running non-HTTP functions.
/// </summary>
public static class LocalFunctionsHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>The host names served by default (the <c>AllowedHosts</c> setting): loopback only.</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    /// <summary>The local host's own admin route that makes serving reload everything now.</summary>
    public const string ServingRefreshPath = "/admin/serving/refresh";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        LocalCors.AddLocalSettingsFile(builder.Configuration);

        // Below every other source: loopback names only, unless AllowedHosts says otherwise, so a page on another name
        // that resolves to this machine (DNS rebinding) is refused (400) by ASP.NET Core's host filtering.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [KeyValuePair.Create<string, string?>("AllowedHosts", LoopbackHosts)],
        });

        // The request log stays readable: no "Executing endpoint" or "writing value of type '<>f__AnonymousType…'" per
        // request at Information; warnings and errors of those categories still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Warning).AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);

        // The Functions host's own default address, unless told otherwise (--urls, ASPNETCORE_URLS).
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddRecoFunctions(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddLocalCors(builder.Configuration);
        builder.Services.AddSingleton<LocalReadiness>();
        builder.Services.AddSingleton(FunctionCatalog.Discover(typeof(FunctionsServiceCollectionExtensions).Assembly));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseUnexpectedErrorProblems();

        // Before routing, so that the middleware answers preflight OPTIONS itself (no function declares OPTIONS).
        app.UseCors();
        app.UseLocalRequestGuards();
        app.UseRouting();
        MapFunctions(app, app.Services.GetRequiredService<FunctionCatalog>(), ReadRoutePrefix());
        return app;
    }

    private static void MapFunctions(WebApplication app, FunctionCatalog catalog, string routePrefix)
    {
        var adminKey = new LocalAdminKey(app.Configuration[LocalAdminKey.Setting]);
        foreach (var function in catalog.HttpFunctions)
        {
            var pattern = $"/{routePrefix}/{function.Http!.Route}".Replace("//", "/", StringComparison.Ordinal);
            app.MapMethods(pattern, function.Http.Methods.Select(m => m.ToUpperInvariant()), context =>
                {
                    if (!adminKey.Allows(function.Http, context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }

                    return FunctionInvoker.InvokeHttpAsync(function, context);
                })
                .WithName(function.Name);
        }

        // The Functions host's admin API wants its master key; here the admin key guards every /admin/* route when set.
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
            adminKey.AllowsAdmin(context.HttpContext.Request) ? await next(context) : Results.StatusCode(StatusCodes.Status401Unauthorized));
        admin.MapGet("/functions", () => catalog.Functions.Select(f => new
        {
            name = f.Name,
            trigger = f.Http is null ? "timer" : "http",
            route = f.Http is null ? null : $"/{routePrefix}/{f.Http.Route}",
            methods = f.Http?.Methods,
        }));

        // As the Functions host's admin API: run a non-HTTP function now (202), e.g. the retrain timer.
        admin.MapPost("/functions/{name}", async (string name, HttpContext context) =>
        {
            var function = catalog.Find(name);
            if (function is null || function.Http is not null)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "No such non-HTTP function",
                    detail: $"'{name}' is not a non-HTTP function here; GET /admin/functions lists them.");
            }

            await using var scope = context.RequestServices.CreateAsyncScope();
            await FunctionInvoker.InvokeBackgroundAsync(function, scope.ServiceProvider, context.RequestAborted);
            return Results.Accepted();
        });

        // Ours, not the Functions host's: serving reloads model, catalogue and trending now and answers when done. Serving
        // re-reads them on its own intervals (30 s, 1 and 5 minutes); a simulated shop whose days last seconds
        // (`reco simulate-http`) calls this between days, as the in-process simulation does. Wants the admin key when set.
        admin.MapPost(ServingRefreshPath["/admin".Length..], async (HttpContext context) =>
        {
            await context.RequestServices.GetRequiredService<RecommendationService>().RefreshAsync();
            return Results.NoContent();
        });
    }

    /// <summary>Where the operator's dashboard is served, e.g. <c>/api/dashboard</c>.</summary>
    public static string DashboardPath => $"/{ReadRoutePrefix()}/dashboard";

    /// <summary>The route prefix from the host.json that ships with the Functions app ("api" when absent).</summary>
    private static string ReadRoutePrefix()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? "api"
            : "api";
    }
}
