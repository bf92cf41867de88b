using System.Runtime.InteropServices;
using System.Text.Json;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which no .NET string can hold: reading it throws. Every
/// element is checked once before its fields are read, so such a body is a 400 naming the field, never a 500. Only an
/// escape can make one (the parser refuses invalid UTF-8), so strings without a backslash are passed over unread.
/// </summary>
public static class JsonStrings
{
    /// <summary>What a refused field is told.</summary>
    public const string InvalidMessage = "holds a string that is not valid UTF-16 (a lone surrogate escape such as \\ud800).";

    /// <summary>The path (<c>tags[2]</c>, <c>properties.colour</c>) of the first string or property name that is not valid UTF-16, or null.</summary>
    public static string? FirstInvalid(JsonElement element) =>
        FirstInvalidWithin(element) is { } path ? (path.Length == 0 || path[0] == ' ' ? "body" + path : path) : null;

    /// <summary>The path below <paramref name="element"/> ("" for the element itself) of the first unreadable string, or null.</summary>
    private static string? FirstInvalidWithin(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsEscaped(JsonMarshal.GetRawUtf8Value(element)) && !IsReadable(element) ? "" : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (IsEscaped(JsonMarshal.GetRawUtf8PropertyName(property)) && !IsReadable(property))
                    {
                        return " (a property name)";
                    }

                    if (FirstInvalidWithin(property.Value) is { } below)
                    {
                        return Joined(property.Name, below);
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalidWithin(item) is { } below)
                    {
                        return Joined($"[{index}]", below);
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary><c>tags</c> + <c>[1]</c>, <c>properties</c> + <c>colour</c>, <c>properties</c> + <c> (a property name)</c>.</summary>
    private static string Joined(string head, string below) =>
        below.Length == 0 || below[0] is '[' or ' ' ? head + below : $"{head}.{below}";

    private static bool IsEscaped(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'\\') >= 0;

    private static bool IsReadable(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsReadable(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
