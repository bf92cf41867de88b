using Microsoft.Azure.Functions.Worker;
using ServerlessReco.Functions.Functions;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>
/// The key policy of every HTTP function, read from the attributes the Functions host enforces: writes need a
/// function key, the server routes (catalogue writes, erasure) and manage/* the admin key, and only the public/* reads, the OpenAPI document and the dashboard's
/// static files (which hold no data) are anonymous.
/// </summary>
public sealed class AuthorizationPolicyTests
{
    private static readonly string[] Writes = ["post", "put", "delete", "patch"];

    private static readonly List<HttpBinding> Triggers =
        FunctionCatalog.Discover(typeof(EventsFunctions).Assembly).HttpFunctions.Select(f => f.Http!).ToList();

    [Fact]
    public void WritesNeedAFunctionOrAdminKey()
    {
        Assert.Contains(Triggers, t => t.Methods.Intersect(Writes, StringComparer.OrdinalIgnoreCase).Any());
        Assert.All(
            Triggers.Where(t => t.Methods.Intersect(Writes, StringComparer.OrdinalIgnoreCase).Any()),
            t => Assert.True(t.Level is AuthorizationLevel.Function or AuthorizationLevel.Admin, $"{t.Route} writes with level {t.Level}."));
    }

    [Fact]
    public void ServerRoutesCatalogueWritesAndErasureNeedTheAdminKeyWhichNoClientCarries()
    {
        var server = Triggers.Where(t => t.Route == "items" || (t.Route == "users/{userId}" && t.Methods.Contains("delete", StringComparer.OrdinalIgnoreCase))).ToList();

        Assert.Equal(2, server.Count);
        Assert.All(server, t => Assert.Equal(AuthorizationLevel.Admin, t.Level));
    }

    [Fact]
    public void ManageRoutesNeedTheAdminKey()
    {
        Assert.Contains(Triggers, t => t.Route.StartsWith("manage/", StringComparison.Ordinal));
        Assert.All(
            Triggers.Where(t => t.Route.StartsWith("manage/", StringComparison.Ordinal)),
            t => Assert.Equal(AuthorizationLevel.Admin, t.Level));
    }

    [Fact]
    public void OnlyPublicReadsTheOpenApiDocumentAndTheDashboardPageAreAnonymous()
    {
        string[] pages = ["openapi.json", "dashboard", "dashboard/{asset}"];
        foreach (var trigger in Triggers.Where(t => t.Level == AuthorizationLevel.Anonymous))
        {
            Assert.True(trigger.Route.StartsWith("public/", StringComparison.Ordinal) || pages.Contains(trigger.Route), $"{trigger.Route} is anonymous.");
            Assert.Equal(["get"], trigger.Methods.Select(m => m.ToLowerInvariant()));
        }

        Assert.All(
            Triggers.Where(t => t.Route.StartsWith("public/", StringComparison.Ordinal)),
            t => Assert.Equal(AuthorizationLevel.Anonymous, t.Level));
    }

    [Fact]
    public void NoFunctionUsesTheUserOrSystemLevelsThePolicyDoesNotName()
    {
        Assert.All(Triggers, t => Assert.Contains(t.Level, new[] { AuthorizationLevel.Anonymous, AuthorizationLevel.Function, AuthorizationLevel.Admin }));
    }

    [Fact]
    public void EveryPublicRouteIsAKeyedReadRouteWithoutTheKey()
    {
        var keyedReads = Triggers.Where(t => t.Level == AuthorizationLevel.Function && t.Methods.SequenceEqual(["get"])).Select(t => t.Route).ToList();
        var publicRoutes = Triggers.Where(t => t.Route.StartsWith("public/", StringComparison.Ordinal)).Select(t => t.Route["public/".Length..]).ToList();

        Assert.Equal(["items/{itemId}/similar", "trending", "users/{userId}/recommendations"], publicRoutes.Order(StringComparer.Ordinal));
        Assert.All(publicRoutes, route => Assert.Contains(route, keyedReads));
    }
}
