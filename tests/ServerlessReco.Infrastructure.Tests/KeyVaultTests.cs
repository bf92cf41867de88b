namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The pseudonym key lives in a Key Vault that only Azure RBAC opens and that cannot be purged, and its value
/// comes from a secure parameter that azd fills from the environment, never from a template default.
/// </summary>
public sealed class KeyVaultTests(CompiledInfrastructure infra)
{
    [Fact]
    public void TheVaultUsesRbacOnlyAndCannotBePurged()
    {
        var (_, vault) = infra.Single("Microsoft.KeyVault/vaults");
        var properties = vault["properties"]!;

        Assert.True((bool)properties["enableRbacAuthorization"]!);
        Assert.True((bool)properties["enableSoftDelete"]!);
        Assert.True((bool)properties["enablePurgeProtection"]!);
        Assert.Empty(properties["accessPolicies"]?.AsArray() ?? []);
    }

    [Fact]
    public void ThePseudonymKeySecretIsTheSecureParameter()
    {
        var (deployment, secret) = infra.Secret("pseudonym-key");

        Assert.True(ArmDeployment.MentionsLiteral(deployment.Expand(secret["name"]), "pseudonym-key"), deployment.Expand(secret["name"]));
        Assert.Contains(ArmDeployment.InputMarker("pseudonymKey"), deployment.Expand(secret["properties"]!["value"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePseudonymKeyParameterIsSecureWithNoDefaultAndTheLengthOfAKeyWhereItIsWritten()
    {
        // A default such as newGuid() would change the key, and so every pseudonym, on each provision.
        var parameter = infra.Main.Template["parameters"]!["pseudonymKey"]!;
        var (deployment, _) = infra.Secret("pseudonym-key");
        var written = deployment.Template["parameters"]!["pseudonymKey"]!;

        Assert.Equal("securestring", (string?)parameter["type"]);
        Assert.Null(parameter["defaultValue"]);
        // base64 of 32 bytes: an empty or truncated key is refused by the deployment, not discovered by the app. The
        // check sits on the module that writes the secret: a provision that keeps the vault's key passes none.
        Assert.Equal("securestring", (string?)written["type"]);
        Assert.Equal(44, (int?)written["minLength"]);
    }

    [Fact]
    public void TheSecretIsWrittenOnlyWhenTheHookSaysThereIsNoneToKeep()
    {
        var (deployment, _) = infra.Secret("pseudonym-key");
        var vault = infra.Main.Module("keyvault");
        var module = Assert.Single(vault.Resources, r => (string?)r["name"] == deployment.Name);
        var create = infra.Main.Template["parameters"]!["createPseudonymKey"]!;

        Assert.Equal("[parameters('createPseudonymKey')]", (string?)module["condition"]);
        Assert.Contains(ArmDeployment.InputMarker("createPseudonymKey"), vault.Expand(module["condition"]), StringComparison.Ordinal);
        // Unset, a provision writes nothing: only the preprovision hook's word makes it write a key.
        Assert.Equal("bool", (string?)create["type"]);
        Assert.False((bool)create["defaultValue"]!);
    }

    [Fact]
    public void TheShopperTokenKeysAreASecondSecretWrittenOnlyWhenTheHookSaysSoFromASecureParameter()
    {
        var (deployment, secret) = infra.Secret("shopper-token-keys");
        var vault = infra.Main.Module("keyvault");
        var module = Assert.Single(vault.Resources, r => (string?)r["name"] == deployment.Name);
        var written = deployment.Template["parameters"]!["shopperTokenKeys"]!;

        Assert.Contains(ArmDeployment.InputMarker("shopperTokenKeys"), deployment.Expand(secret["properties"]!["value"]), StringComparison.Ordinal);
        Assert.Equal("[parameters('createShopperTokenKeys')]", (string?)module["condition"]);
        Assert.False((bool)infra.Main.Template["parameters"]!["createShopperTokenKeys"]!["defaultValue"]!);
        Assert.Equal("securestring", (string?)infra.Main.Template["parameters"]!["shopperTokenKeys"]!["type"]);
        Assert.Equal("securestring", (string?)written["type"]);
        Assert.Equal(46, (int?)written["minLength"]);
    }

    [Fact]
    public void TheAppReadsTheSecretByItsVersionlessUriWhetherOrNotThisProvisionWroteIt()
    {
        var uri = infra.Main.Module("keyvault").Expand(infra.Main.Module("keyvault").Template["outputs"]!["pseudonymKeyUri"]!["value"]);

        Assert.Contains("vaultUri", uri, StringComparison.Ordinal);
        Assert.Contains("secrets/", uri, StringComparison.Ordinal);
        Assert.True(ArmDeployment.MentionsLiteral(uri, "pseudonym-key"), uri);
        Assert.DoesNotContain("Microsoft.Resources/deployments", uri, StringComparison.Ordinal);
    }
}
