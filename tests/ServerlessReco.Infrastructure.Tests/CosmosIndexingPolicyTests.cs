using System.Text.Json.Nodes;
using ServerlessReco.Azure.Cosmos;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The containers the templates create index what the code's queries need and nothing more: the same policy
/// that CosmosSchema gives the containers it creates itself, so that RU per write is what was measured.
/// </summary>
public sealed class CosmosIndexingPolicyTests(CompiledInfrastructure infra)
{
    private JsonNode Container(string id) =>
        infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .Single(c => (string?)c.Resource["properties"]!["resource"]!["id"] == id)
            .Resource["properties"]!["resource"]!;

    private static string[] Paths(JsonNode policy, string kind) =>
        policy[kind]!.AsArray().Select(p => (string)p!["path"]!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void EventsIndexOnlyTheUserAndTheTimestampAsTheCodeDoes()
    {
        var policy = Container("events")["indexingPolicy"]!;

        Assert.Equal("consistent", (string?)policy["indexingMode"]);
        Assert.Equal(CosmosSchema.EventsIndexedPaths.Order(StringComparer.Ordinal), Paths(policy, "includedPaths"));
        Assert.Equal(["/*"], Paths(policy, "excludedPaths"));
    }

    [Fact]
    public void ServedListsIndexOnlyTheUserAndTheTimestampAsTheCodeDoesAndExpireAfterThirtyDays()
    {
        var container = Container("servedLists");
        var policy = container["indexingPolicy"]!;

        Assert.Equal(CosmosSchema.ServedListsIndexedPaths.Order(StringComparer.Ordinal), Paths(policy, "includedPaths"));
        Assert.Equal(["/*"], Paths(policy, "excludedPaths"));
        Assert.Equal("/userId", (string?)container["partitionKey"]!["paths"]![0]);
        Assert.Contains("servedListsDefaultTtl", container["defaultTtl"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ItemsIndexNothing()
    {
        var policy = Container("items")["indexingPolicy"]!;

        Assert.Empty(Paths(policy, "includedPaths"));
        Assert.Equal(["/*"], Paths(policy, "excludedPaths"));
    }
}
