using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;
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

    /// <summary>Decodes the route value <paramref name="field"/> and collects its problem, if any, into <paramref name="errors"/>.</summary>
    public static string ReadId(string field, string? routeValue, List<ValidationError> errors)
    {
        var id = Id(routeValue);
        if (IdProblem(id) is { } problem)
        {
            errors.Add(new ValidationError(null, field, problem));
        }

        return id;
    }

    /// <summary>
    /// Decodes the route value in place; false with the 400 that refuses it when it breaks the id rules.
    /// For routes whose only input is the id.
    /// </summary>
    public static bool TryReadId(string field, ref string id, [NotNullWhen(false)] out IActionResult? refusal)
    {
        var errors = new List<ValidationError>();
        id = ReadId(field, id, errors);
        refusal = errors.Count == 0 ? null : Problems.Validation(errors, "");
        return refusal is null;
    }
}
