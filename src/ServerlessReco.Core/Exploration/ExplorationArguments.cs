using System.Globalization;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// The arguments of the exploration report (<c>GET /api/manage/exploration?days=&amp;rates=</c>, <c>reco exploration
/// --days --rates</c>), parsed by one set of rules for both: a window of whole days, and exploration rates as finite
/// numbers from 0 to 1 (NaN and infinities are refused, whatever the number parser accepts).
/// </summary>
public static class ExplorationArguments
{
    public const int MinDays = 1;
    public const int MaxDays = 90;
    public const int DefaultDays = 7;
    public const int MaxRates = 20;

    /// <summary>What a list of rates must be, for error messages.</summary>
    public const string RatesRule = "1 to 20 comma-separated numbers from 0 to 1, such as 0,0.1,0.2";

    /// <summary>What a window must be, for error messages.</summary>
    public static string DaysRule => $"a whole number from {MinDays} to {MaxDays}";

    /// <summary>A window of days: digits only, within <see cref="MinDays"/> to <see cref="MaxDays"/>.</summary>
    public static bool TryParseDays(string? text, out int days) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days is >= MinDays and <= MaxDays;

    /// <summary>A comma-separated list of 1 to <see cref="MaxRates"/> finite numbers from 0 to 1; null when it is not one.</summary>
    public static IReadOnlyList<double>? ParseRates(string? text)
    {
        var parts = (text ?? "").Split(',');
        if (parts.Length > MaxRates)
        {
            return null;
        }

        var rates = new List<double>(parts.Length);
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || rate is < 0 or > 1)
            {
                return null;
            }

            rates.Add(rate);
        }

        return rates;
    }
}
