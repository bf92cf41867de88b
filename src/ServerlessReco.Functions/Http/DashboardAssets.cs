using System.Reflection;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// The operator's dashboard: a static page, its script and style, and the chart library (uPlot, restored from npm by
/// the build, see Dashboard/package.json), embedded in this assembly so that every build and every deployment carries them.
/// </summary>
public static class DashboardAssets
{
    public const string ResourcePrefix = "ServerlessReco.Functions.Dashboard.";
    public const string Page = "index.html";

    /// <summary>
    /// Only the page's own files, from its own origin: no inline script or style, no other host; data calls go to the
    /// same API. uPlot sizes its elements through the style object (CSSOM), which a style-src without 'unsafe-inline' allows.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [Page] = "text/html; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["api.js"] = "text/javascript; charset=utf-8",
        ["charts.js"] = "text/javascript; charset=utf-8",
        ["views.js"] = "text/javascript; charset=utf-8",
        ["lookups.js"] = "text/javascript; charset=utf-8",
        ["decisions.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["uPlot.iife.min.js"] = "text/javascript; charset=utf-8",
        ["uPlot.min.css"] = "text/css; charset=utf-8",
    };

    private static readonly Dictionary<string, byte[]> Contents = ContentTypes.Keys.ToDictionary(name => name, Read, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ContentTypes.Keys;

    /// <summary>The asset's bytes and content type; false for any name that is not one of the page's files.</summary>
    public static bool TryGet(string? name, out byte[] content, out string contentType)
    {
        content = [];
        contentType = "";
        return name is not null
            && ContentTypes.TryGetValue(name, out contentType!)
            && Contents.TryGetValue(name, out content!);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix + name} is missing; see the project file.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
