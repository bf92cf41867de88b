using System.Reflection;

namespace ServerlessReco.Functions.Http;

/// <summary>The checked-in <c>openapi.json</c>, embedded in this assembly so that it ships with every build.</summary>
public static class OpenApiDocument
{
    public const string ResourceName = "ServerlessReco.Functions.openapi.json";

    private static readonly Lazy<string> Content = new(Read);

    public static string Text => Content.Value;

    private static string Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing; see the project file.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
