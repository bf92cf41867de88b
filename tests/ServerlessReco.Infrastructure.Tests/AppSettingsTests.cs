using System.Text.Json.Nodes;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The function app's settings reference the managed identity only: endpoints, names and its client id,
/// never a key, a SAS or a connection string that carries a secret. Each value is followed through the
/// modules it comes from (<see cref="ArmDeployment.Expand(System.Text.Json.Nodes.JsonNode?)"/>), so a key fetched in another module is caught too.
/// </summary>
public sealed class AppSettingsTests(CompiledInfrastructure infra)
{
    private static readonly string[] SecretMarkers =
    [
        "AccountKey", "SharedAccessSignature", "SharedAccessKey", "sig=", "InstrumentationKey=", "DefaultEndpointsProtocol",
        "AccountEndpoint=", "listKeys(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "listSecrets(",
        "MasterKey", "primaryKey", "secondaryKey",
    ];

    /// <summary>Setting name endings that hold an endpoint, a name or an identity, never a secret.</summary>
    private static readonly string[] IdentityBasedSuffixes =
    [
        "__credential", "__clientId", "__accountName", "__blobServiceUri", "__queueServiceUri", "__tableServiceUri",
        "__Endpoint", "__Database", "__Container", "__BlobServiceUri",
    ];

    [Fact]
    public void TheAppHasExactlyTheSettingsTheCodeAndTheHostRead()
    {
        Assert.Equal(
            [
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
                "APPLICATIONINSIGHTS_CONNECTION_STRING",
                "AzureWebJobs.GetPublicRecommendations.Disabled",
                "AzureWebJobs.GetPublicSimilarItems.Disabled",
                "AzureWebJobs.GetPublicTrending.Disabled",
                "AzureWebJobsStorage__blobServiceUri",
                "AzureWebJobsStorage__clientId",
                "AzureWebJobsStorage__credential",
                "Cosmos__ClientId",
                "Cosmos__Database",
                "Cosmos__Endpoint",
                "ModelStorage__BlobServiceUri",
                "ModelStorage__ClientId",
                "ModelStorage__Container",
                "Reco__AllowAnonymousReads",
                "Reco__PseudonymKey",
                "Reco__RetentionDays",
                "Reco__RetrainSchedule",
                "Reco__ServedListRetentionDays",
                "ShopperTokens__Required",
                "ShopperTokens__SigningKeys",
            ],
            Settings().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NoSettingCarriesAKeyASasOrASecretConnectionString()
    {
        foreach (var (name, value) in Settings())
        {
            foreach (var marker in SecretMarkers)
            {
                Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{name} contains '{marker}': {value}");
            }
        }

        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", Settings().Keys);
        Assert.DoesNotContain("AzureWebJobsStorage", Settings().Keys); // the connection-string form
    }

    [Fact]
    public void NoTemplateFetchesKeysOrSecretsAtAll()
    {
        var template = infra.Build.StandardOutput;

        foreach (var marker in new[] { "listKeys(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "listSecrets(" })
        {
            Assert.DoesNotContain(marker, template, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void EverySettingThatNamesCosmosOrStorageIsIdentityBased()
    {
        var storageOrCosmos = Settings()
            .Where(s => s.Key.Contains("Cosmos", StringComparison.OrdinalIgnoreCase) || s.Key.Contains("Storage", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.NotEmpty(storageOrCosmos);
        Assert.All(storageOrCosmos, s => Assert.True(
            IdentityBasedSuffixes.Any(suffix => s.Key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)),
            $"{s.Key} is not an endpoint, a name or an identity setting."));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("Cosmos__ClientId")]
    [InlineData("ModelStorage__ClientId")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    public void ClientIdsAreTheUserAssignedIdentitys(string name)
    {
        Assert.Contains(ArmDeployment.OutputMarker("identity", "clientId"), Settings()[name], StringComparison.Ordinal);
    }

    [Fact]
    public void HostStorageUsesTheManagedIdentityCredential()
    {
        var settings = Settings();

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains(ArmDeployment.OutputMarker("storage", "blobServiceUri"), settings["AzureWebJobsStorage__blobServiceUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void HostStorageIsBlobOnlyBecauseTheIdentityHasNoQueueOrTableRole()
    {
        // accountName would point the host at the queue and table services too, where the identity may do nothing.
        Assert.DoesNotContain(Settings().Keys, name => name is "AzureWebJobsStorage__accountName"
            or "AzureWebJobsStorage__queueServiceUri" or "AzureWebJobsStorage__tableServiceUri" or "AzureWebJobsStorage__serviceUri");
    }

    [Fact]
    public void TelemetryIsSentWithAnEntraToken()
    {
        var settings = Settings();

        Assert.StartsWith("[format('ClientId={0};Authorization=AAD'", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        // The connection string is read from the resource (no key in it works with local auth off), never written out.
        Assert.Contains(".ConnectionString", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettingsPointAtTheProvisionedCosmosAndModelStorage()
    {
        var settings = Settings();

        Assert.Contains(ArmDeployment.OutputMarker("database", "endpoint"), settings["Cosmos__Endpoint"], StringComparison.Ordinal);
        Assert.True(ArmDeployment.MentionsLiteral(settings["Cosmos__Database"], "reco"), settings["Cosmos__Database"]);
        Assert.Contains(ArmDeployment.OutputMarker("storage", "blobServiceUri"), settings["ModelStorage__BlobServiceUri"], StringComparison.Ordinal);
        Assert.True(ArmDeployment.MentionsLiteral(settings["ModelStorage__Container"], "models"), settings["ModelStorage__Container"]);
        Assert.Contains(ArmDeployment.InputMarker("retentionDays"), settings["Reco__RetentionDays"], StringComparison.Ordinal);
        Assert.Contains(ArmDeployment.InputMarker("retrainSchedule"), settings["Reco__RetrainSchedule"], StringComparison.Ordinal);
    }

    [Fact]
    public void ThePseudonymKeyIsAKeyVaultReferenceNeverTheSecretItself()
    {
        var setting = Settings()["Reco__PseudonymKey"];

        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", setting, StringComparison.Ordinal);
        Assert.Contains(ArmDeployment.OutputMarker("keyvault", "pseudonymKeyUri"), setting, StringComparison.Ordinal);
        Assert.DoesNotContain(ArmDeployment.InputMarker("pseudonymKey"), setting, StringComparison.Ordinal);
        Assert.All(Settings(), s => Assert.DoesNotContain(ArmDeployment.InputMarker("pseudonymKey"), s.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void KeyVaultReferencesAreResolvedAsTheUserAssignedIdentity()
    {
        var (deployment, site) = infra.Single("Microsoft.Web/sites");

        var identity = deployment.Expand(site["properties"]!["keyVaultReferenceIdentity"]);

        Assert.Contains(ArmDeployment.OutputMarker("identity", "id"), identity, StringComparison.Ordinal);
    }

    [Fact]
    public void RetrainScheduleDefaultsToHourly()
    {
        var parameter = infra.Main.Template["parameters"]!["retrainSchedule"]!;

        Assert.Equal("0 0 * * * *", (string?)parameter["defaultValue"]);
    }

    [Fact]
    public void NoOutputThatAzdStoresCarriesASecret()
    {
        foreach (var (name, output) in infra.Main.Template["outputs"]!.AsObject())
        {
            var value = infra.Main.Expand(output!["value"]);
            foreach (var marker in SecretMarkers)
            {
                Assert.False(value.Contains(marker, StringComparison.OrdinalIgnoreCase), $"Output {name} contains '{marker}'.");
            }
        }
    }

    /// <summary>The app settings (config/appsettings and any siteConfig.appSettings), each value fully expanded.</summary>
    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (deployment, config) in infra.ResourcesOfType("Microsoft.Web/sites/config"))
        {
            Assert.EndsWith("'appsettings')]", (string?)config["name"], StringComparison.Ordinal);
            var properties = config["properties"] as JsonObject
                ?? throw new InvalidDataException("App settings must be an object literal so that each one can be checked.");
            foreach (var (name, value) in properties)
            {
                settings.Add(name, deployment.Expand(value));
            }
        }

        foreach (var (deployment, site) in infra.ResourcesOfType("Microsoft.Web/sites"))
        {
            foreach (var setting in site["properties"]?["siteConfig"]?["appSettings"]?.AsArray() ?? [])
            {
                settings.Add((string)setting!["name"]!, deployment.Expand(setting["value"]));
            }
        }

        return settings;
    }
}
