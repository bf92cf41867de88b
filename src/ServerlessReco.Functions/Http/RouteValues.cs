using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Functions.Http;

/// <summary>Ids that arrive in the URL obey the same rules as ids in a body.</summary>
public static class RouteValues
{
    public static string? IdProblem(string? id) => id switch
    {
        null or "" => "must not be empty.",
        _ when string.IsNullOrWhiteSpace(id) => "must not be empty.",
        { Length: > IngestionLimits.MaxIdLength } => $"must be at most {IngestionLimits.MaxIdLength} characters.",
        _ when id.Any(char.IsControl) => "must not contain control characters.",
        _ => null,
    };
}
