namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The audit and data-plane logs of the stores that hold the shop's data and the pseudonym key go to the Log
/// Analytics workspace: one diagnostic setting on each, checked on the compiled ARM JSON.
/// </summary>
public sealed class DiagnosticSettingsTests(CompiledInfrastructure infra)
{
    [Theory]
    [InlineData("Microsoft.KeyVault/vaults", new[] { "AuditEvent" })]
    [InlineData("Microsoft.DocumentDB/databaseAccounts", new[] { "DataPlaneRequests", "QueryRuntimeStatistics", "ControlPlaneRequests" })]
    // Blob logs live on the blob service, not on the account.
    [InlineData("Microsoft.Storage/storageAccounts/blobServices", new[] { "StorageRead", "StorageWrite", "StorageDelete" })]
    public void TheResourcesLogsGoToTheLogAnalyticsWorkspace(string scopeType, string[] categories)
    {
        var (deployment, setting) = Assert.Single(
            infra.ResourcesOfType("Microsoft.Insights/diagnosticSettings"),
            s => s.Deployment.Expand(s.Resource["scope"]).Contains($"resourceId('{scopeType}'", StringComparison.Ordinal));
        var properties = setting["properties"]!;
        var logs = properties["logs"]!.AsArray().Select(l => ((string?)l!["category"], (bool?)l["enabled"])).ToList();

        Assert.Contains(ArmDeployment.OutputMarker("monitoring", "logAnalyticsId"), deployment.Expand(properties["workspaceId"]), StringComparison.Ordinal);
        Assert.Equal("Dedicated", (string?)properties["logAnalyticsDestinationType"]);
        Assert.All(categories, c => Assert.Contains((c, (bool?)true), logs));
    }

    [Fact]
    public void TheWorkspaceIdIsTheWorkspaceOfMonitoringBicep()
    {
        var monitoring = infra.Main.Module("monitoring");
        var id = monitoring.Expand(monitoring.Template["outputs"]!["logAnalyticsId"]!["value"]);

        Assert.Contains("'Microsoft.OperationalInsights/workspaces'", id, StringComparison.Ordinal);
    }
}
