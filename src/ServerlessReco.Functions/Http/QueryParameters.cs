using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Serving;

using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Functions.Http;

/// <summary>Query-string parameters of the read routes, validated; every problem is collected, none thrown.</summary>
public sealed class QueryParameters(HttpRequest request)
{
    public const int DefaultCount = 10;

    public List<ValidationError> Errors { get; } = [];

    /// <summary>The 400 naming every bad parameter read so far, or null when all were good.</summary>
    public IActionResult? Refusal() =>
        Errors.Count == 0 ? null : Problems.Validation(Errors, "Fix the parameters named and ask again.");

    /// <summary>An id from the route, checked with the query parameters so that one answer names every problem.</summary>
    public string RouteId(string name, string? routeValue) => RouteValues.ReadId(name, routeValue, Errors);

    /// <summary><c>count</c>: an integer 1..100, default 10.</summary>
    public int Count()
    {
        var values = request.Query["count"];
        if (values.Count == 0)
        {
            return DefaultCount;
        }

        if (values.Count > 1)
        {
            Errors.Add(new ValidationError(null, "count", "must be given once."));
            return DefaultCount;
        }

        if (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ServingOptions.MaxCount)
        {
            Errors.Add(new ValidationError(null, "count", $"must be a whole number from 1 to {ServingOptions.MaxCount}."));
            return DefaultCount;
        }

        return count;
    }

    /// <summary>An optional whole number in [<paramref name="min"/>, <paramref name="max"/>]: absent is <paramref name="fallback"/>.</summary>
    public int Int(string name, int min, int max, int fallback)
    {
        var values = request.Query[name];
        if (values.Count == 0)
        {
            return fallback;
        }

        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Errors.Add(new ValidationError(null, name, $"must be given once, a whole number from {min} to {max}."));
            return fallback;
        }

        return value;
    }

    /// <summary>Optional exploration rates (<see cref="ExplorationArguments.ParseRates"/>, the CLI's rules too): absent is null.</summary>
    public IReadOnlyList<double>? ExplorationRates(string name)
    {
        var values = request.Query[name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1 || ExplorationArguments.ParseRates(values[0]) is not { } rates)
        {
            Errors.Add(new ValidationError(null, name, $"must be given once: {ExplorationArguments.RatesRule}."));
            return null;
        }

        return rates;
    }

    /// <summary>An optional window of days for the exploration report (<see cref="ExplorationArguments.TryParseDays"/>): absent is the default.</summary>
    public int ExplorationDays(string name, int fallback = ExplorationArguments.DefaultDays)
    {
        var values = request.Query[name];
        if (values.Count == 0)
        {
            return fallback;
        }

        if (values.Count > 1 || !ExplorationArguments.TryParseDays(values[0], out var days))
        {
            Errors.Add(new ValidationError(null, name, $"must be given once, {ExplorationArguments.DaysRule}."));
            return fallback;
        }

        return days;
    }

    /// <summary>An optional number from 0 to 1 (the exploration rate): absent is null.</summary>
    public double? Fraction(string name)
    {
        if (Single(name) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value is not (>= 0 and <= 1))
        {
            Errors.Add(new ValidationError(null, name, "must be a number from 0 to 1, such as 0.1."));
            return null;
        }

        return value;
    }

    /// <summary>An optional id-like parameter (category, session): absent is null; present obeys the id rules.</summary>
    public string? Id(string name)
    {
        if (Single(name) is not { } text)
        {
            return null;
        }

        if (RouteValues.IdProblem(text) is { } problem)
        {
            Errors.Add(new ValidationError(null, name, problem));
            return null;
        }

        return text;
    }

    /// <summary>The parameter's one value; null when absent, and an error as well when given more than once.</summary>
    private string? Single(string name)
    {
        var values = request.Query[name];
        if (values.Count > 1)
        {
            Errors.Add(new ValidationError(null, name, "must be given once."));
        }

        return values.Count == 1 ? values[0] : null;
    }
}
