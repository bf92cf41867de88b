using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Functions.Http;

/// <summary>Ids that arrive in the URL obey the same rules as ids in a body.</summary>
public static class RouteValues
{
    /// <summary>
    /// Servers decode every escape in a path except %2F (an escaped '/'), which they leave as is so that it
    /// cannot split the path. An id containing '/' therefore arrives still escaped: finish the decoding here.
    /// </summary>
    public static string Id(string? routeValue) =>
        routeValue?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) ?? "";

    public static string? IdProblem(string? id) => id switch
    {
        null or "" => "must not be empty.",
        _ when string.IsNullOrWhiteSpace(id) => "must not be empty.",
        { Length: > IngestionLimits.MaxIdLength } => $"must be at most {IngestionLimits.MaxIdLength} characters.",
        _ when id.Any(char.IsControl) => "must not contain control characters.",
        _ => null,
    };
}
