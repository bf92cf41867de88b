using System.Globalization;

namespace ServerlessReco.Core.Ingestion.History;

/// <summary>History files stamp events in Unix seconds as often as in ISO 8601; the event shape takes ISO 8601.</summary>
internal static class HistoryTimestamps
{
    /// <summary>
    /// Unix seconds (digits, optionally with a fraction) become ISO 8601; anything else is passed on unchanged
    /// for <see cref="EventParser"/> to judge. False only for Unix seconds outside the representable range.
    /// </summary>
    public static bool TryNormalize(string text, out string timestamp)
    {
        timestamp = text;
        if (!IsUnixSeconds(text))
        {
            return true;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            return false;
        }

        timestamp = FromUnixSeconds(seconds);
        return true;
    }

    public static string FromUnixSeconds(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsUnixSeconds(string text)
    {
        var dots = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0 && dots <= 1 && char.IsAsciiDigit(text[0]);
    }
}
