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
        var (deployment, secret) = infra.Single("Microsoft.KeyVault/vaults/secrets");

        Assert.True(ArmDeployment.MentionsLiteral(deployment.Expand(secret["name"]), "pseudonym-key"), deployment.Expand(secret["name"]));
        Assert.Contains(ArmDeployment.InputMarker("pseudonymKey"), deployment.Expand(secret["properties"]!["value"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePseudonymKeyParameterIsSecureWithNoDefaultAndTheLengthOfAKey()
    {
        // A default such as newGuid() would change the key, and so every pseudonym, on each provision.
        var parameter = infra.Main.Template["parameters"]!["pseudonymKey"]!;

        Assert.Equal("securestring", (string?)parameter["type"]);
        Assert.Null(parameter["defaultValue"]);
        // base64 of 32 bytes: an empty or truncated value is refused by the deployment, not discovered by the app.
        Assert.Equal(44, (int?)parameter["minLength"]);
    }
}
