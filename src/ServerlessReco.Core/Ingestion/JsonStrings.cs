using System.Text.Json;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which no .NET string can hold: reading it throws. Every
/// element is checked once before its fields are read, so such a body is a 400 naming the field, never a 500.
/// </summary>
public static class JsonStrings
{
    /// <summary>What a refused field is told.</summary>
    public const string InvalidMessage = "holds a string that is not valid UTF-16 (a lone surrogate escape such as \\ud800).";

    /// <summary>The path (<c>tags[2]</c>, <c>properties.colour</c>) of the first string or property name that is not valid UTF-16, or null.</summary>
    public static string? FirstInvalid(JsonElement element) => FirstInvalid(element, "");

    private static string? FirstInvalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(() => element.GetString()) ? null : Named(path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return Named(path) + " (a property name)";
                    }

                    if (FirstInvalid(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalid(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Named(string path) => path.Length == 0 ? "body" : path;

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
