using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>The System.Text.Json settings of every document this project writes to Cosmos DB.</summary>
internal static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
