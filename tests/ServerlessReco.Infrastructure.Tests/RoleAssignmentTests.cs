using System.Text.Json.Nodes;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>The identity gets exactly the data roles it needs, with idempotent names guid(scope, principal, role).</summary>
public sealed class RoleAssignmentTests(CompiledInfrastructure infra)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string CosmosBuiltInDataContributor = "00000000-0000-0000-0000-000000000002";

    [Theory]
    [InlineData(StorageBlobDataOwner, "Microsoft.Storage/storageAccounts")]
    [InlineData(MonitoringMetricsPublisher, "Microsoft.Insights/components")]
    public void TheIdentityHasTheAzureRoleOnTheResource(string role, string scopeType)
    {
        var assignment = Assert.Single(IdentityAssignments("Microsoft.Authorization/roleAssignments"), a => a.RoleDefinition.Contains(role, StringComparison.Ordinal));

        Assert.Contains($"'{scopeType}'", assignment.Scope, StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", (string?)assignment.Resource["properties"]!["principalType"]);
        AssertNamedByScopePrincipalAndRole(assignment.Name, role);
    }

    [Fact]
    public void TheIdentityMayReadThePseudonymKeyAndTheShopperTokenKeysEachOnItsOwnSecretNotTheVault()
    {
        var assignments = IdentityAssignments("Microsoft.Authorization/roleAssignments").Where(a => a.RoleDefinition.Contains(KeyVaultSecretsUser, StringComparison.Ordinal)).ToList();

        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, a =>
        {
            Assert.Contains("'Microsoft.KeyVault/vaults/secrets'", a.Scope, StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", (string?)a.Resource["properties"]!["principalType"]);
            AssertNamedByScopePrincipalAndRole(a.Name, KeyVaultSecretsUser);
        });
    }

    [Fact]
    public void TheIdentityIsACosmosBuiltInDataContributor()
    {
        var assignment = Assert.Single(IdentityAssignments("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"));

        Assert.Contains($"sqlRoleDefinitions/{{1}}", assignment.RoleDefinition, StringComparison.Ordinal);
        Assert.Contains(CosmosBuiltInDataContributor, assignment.RoleDefinition, StringComparison.Ordinal);
        Assert.Contains("'Microsoft.DocumentDB/databaseAccounts'", assignment.Scope, StringComparison.Ordinal);
        AssertNamedByScopePrincipalAndRole(assignment.Name, CosmosBuiltInDataContributor);
    }

    [Fact]
    public void EveryCosmosDataRoleIsScopedToTheAppsDatabaseNotTheAccount()
    {
        var assignments = infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");

        Assert.Equal(2, assignments.Count);   // the identity's and the developer's
        Assert.All(assignments, a =>
        {
            var scope = a.Deployment.Expand(a.Resource["properties"]!["scope"]);
            Assert.Contains("/dbs/", scope, StringComparison.Ordinal);
            Assert.Contains(ArmDeployment.OutputMarker("database", "databaseName"), scope, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void TheDeveloperGetsTheSameRolesOnlyWhenAPrincipalIdIsGiven()
    {
        var developer = infra.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Concat(infra.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"))
            .Where(a => a.Deployment.Expand(a.Resource["properties"]!["principalId"]).Contains(ArmDeployment.InputMarker("principalId"), StringComparison.Ordinal))
            .ToList();

        Assert.Equal(3, developer.Count);
        Assert.All(developer, a => Assert.StartsWith("[not(empty(parameters('developerPrincipalId')))]", (string?)a.Resource["condition"], StringComparison.Ordinal));
    }

    [Fact]
    public void NoOtherRoleIsGranted()
    {
        var roles = infra.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Select(a => a.Deployment.Expand(a.Resource["properties"]!["roleDefinitionId"]))
            .ToList();

        Assert.All(roles, r => Assert.True(
            r.Contains(StorageBlobDataOwner, StringComparison.Ordinal) || r.Contains(MonitoringMetricsPublisher, StringComparison.Ordinal)
                || r.Contains(KeyVaultSecretsUser, StringComparison.Ordinal),
            $"Unexpected role: {r}"));
    }

    private static void AssertNamedByScopePrincipalAndRole(string name, string role)
    {
        Assert.Contains("guid(resourceId(", name, StringComparison.Ordinal);
        Assert.Contains("parameters('identityPrincipalId')", name, StringComparison.Ordinal);
        Assert.Contains(role, name, StringComparison.Ordinal);
    }

    private IEnumerable<Assignment> IdentityAssignments(string type) =>
        infra.ResourcesOfType(type)
            .Select(a => new Assignment(
                a.Resource,
                a.Deployment.Expand(a.Resource["name"]),
                a.Deployment.Expand(a.Resource["properties"]!["principalId"]),
                a.Deployment.Expand(a.Resource["properties"]!["roleDefinitionId"]),
                a.Deployment.Expand(a.Resource["scope"] ?? a.Resource["properties"]!["scope"])))
            .Where(a => a.Principal.Contains(ArmDeployment.OutputMarker("identity", "principalId"), StringComparison.Ordinal));

    private sealed record Assignment(JsonObject Resource, string Name, string Principal, string RoleDefinition, string Scope);
}
