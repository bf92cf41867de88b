using System.Text.Json.Nodes;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>The security and hosting properties of each resource, read from the compiled ARM JSON.</summary>
public sealed class ResourcePropertiesTests(CompiledInfrastructure infra)
{
    [Fact]
    public void StorageAcceptsNoSharedKeyAndOnlyHttpsWithTls12()
    {
        var (_, storage) = infra.Single("Microsoft.Storage/storageAccounts");
        var properties = storage["properties"]!;

        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void StorageHasTheDeploymentAndModelsContainersAndNeitherIsPublic()
    {
        var containers = infra.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        var names = containers.Select(c => c.Deployment.Expand(c.Resource["name"])).ToList();

        Assert.Equal(2, containers.Count);
        Assert.Contains(names, n => ArmDeployment.MentionsLiteral(n, "models"));
        Assert.Contains(names, n => ArmDeployment.MentionsLiteral(n, "app-package"));
        Assert.All(containers, c => Assert.Equal("None", (string?)c.Resource["properties"]?["publicAccess"]));
    }

    [Fact]
    public void CosmosIsServerlessWithLocalAuthDisabled()
    {
        var (_, cosmos) = infra.Single("Microsoft.DocumentDB/databaseAccounts");
        var properties = cosmos["properties"]!;

        Assert.True((bool)properties["disableLocalAuth"]!);
        Assert.Contains(properties["capabilities"]!.AsArray(), c => (string?)c!["name"] == "EnableServerless");
        Assert.Equal("Tls12", (string?)properties["minimalTlsVersion"]);
    }

    [Fact]
    public void CosmosDatabaseIsRecoWithContainersPartitionedAsTheCodeExpects()
    {
        var (databaseModule, database) = infra.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases");
        Assert.True(ArmDeployment.MentionsLiteral(databaseModule.Expand(database["properties"]!["resource"]!["id"]), "reco"));

        var containers = infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .ToDictionary(c => (string)c.Resource["properties"]!["resource"]!["id"]!, c => c.Resource["properties"]!["resource"]!);

        Assert.Equal(["events", "items", "servedLists"], containers.Keys.Order());
        Assert.Equal(["/userId"], PartitionKeyPaths(containers["events"]));
        Assert.Equal(["/userId"], PartitionKeyPaths(containers["servedLists"]));
        Assert.Equal(["/id"], PartitionKeyPaths(containers["items"]));
    }

    [Fact]
    public void EventsExpireAfterTheRetentionDaysAndTtlStaysOnWhenRetentionIsZero()
    {
        var (module, events) = infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .Single(c => (string?)c.Resource["properties"]!["resource"]!["id"] == "events");
        var ttl = module.Expand(events["properties"]!["resource"]!["defaultTtl"]);

        Assert.Contains("mul(parameters('retentionDays'), 86400)", ttl, StringComparison.Ordinal);
        // -1: TTL on without a default expiry, so a per-item ttl still works when events are kept forever.
        Assert.Contains(", -1)", ttl, StringComparison.Ordinal);
        Assert.Contains(ArmDeployment.InputMarker("retentionDays"), ttl, StringComparison.Ordinal);

        var items = infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .Single(c => (string?)c.Resource["properties"]!["resource"]!["id"] == "items");
        Assert.Null(items.Resource["properties"]!["resource"]!["defaultTtl"]);
    }

    [Fact]
    public void ApplicationInsightsAndLogAnalyticsAcceptNoLocalAuth()
    {
        var (_, insights) = infra.Single("Microsoft.Insights/components");
        var (_, workspace) = infra.Single("Microsoft.OperationalInsights/workspaces");

        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
        Assert.True((bool)workspace["properties"]!["features"]!["disableLocalAuth"]!);
    }

    [Fact]
    public void FunctionAppIsHttpsOnlyWithTls12AndNoFtpOrBasicAuthPublishing()
    {
        var (_, site) = infra.Single("Microsoft.Web/sites");
        var siteConfig = site["properties"]!["siteConfig"]!;

        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Equal("1.2", (string?)siteConfig["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)siteConfig["ftpsState"]);

        var policies = infra.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False((bool)p.Resource["properties"]!["allow"]!));
    }

    [Fact]
    public void FunctionAppRunsDotnetIsolated10OnFlexConsumptionForLinux()
    {
        var (_, plan) = infra.Single("Microsoft.Web/serverfarms");
        var (apiModule, site) = infra.Single("Microsoft.Web/sites");
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Contains("4096", apiModule.Expand(config["scaleAndConcurrency"]!["instanceMemoryMB"]), StringComparison.Ordinal);
    }

    [Fact]
    public void DeploymentPackageIsReachedThroughTheUserAssignedIdentity()
    {
        var (apiModule, site) = infra.Single("Microsoft.Web/sites");
        var storage = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Contains(ArmDeployment.OutputMarker("identity", "id"), apiModule.Expand(storage["authentication"]!["userAssignedIdentityResourceId"]), StringComparison.Ordinal);
        Assert.Contains(ArmDeployment.OutputMarker("storage", "deploymentContainerName"), apiModule.Expand(storage["value"]), StringComparison.Ordinal);
        Assert.Null(storage["authentication"]!["storageAccountConnectionStringName"]);

        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
    }

    [Fact]
    public void FunctionAppIsTaggedForTheAzdApiService()
    {
        var (_, site) = infra.Single("Microsoft.Web/sites");

        Assert.Contains("createObject('azd-service-name', 'api')", (string?)site["tags"], StringComparison.Ordinal);
    }

    [Fact]
    public void CorsOriginsComeFromAParameter()
    {
        var (apiModule, site) = infra.Single("Microsoft.Web/sites");
        var origins = apiModule.Expand(site["properties"]!["siteConfig"]!["cors"]!["allowedOrigins"]);

        Assert.Contains(ArmDeployment.InputMarker("allowedCorsOrigins"), origins, StringComparison.Ordinal);
    }

    private static string[] PartitionKeyPaths(JsonNode resource) =>
        resource["partitionKey"]!["paths"]!.AsArray().Select(p => (string)p!).ToArray();
}
