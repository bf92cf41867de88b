using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>What azd reads: azure.yaml, infra/main.parameters.json and the postprovision hook.</summary>
public sealed partial class AzdTests(CompiledInfrastructure infra)
{
    [Fact]
    public void AzureYamlMapsTheApiServiceToTheFunctionsProject()
    {
        var root = AzureYaml();
        var api = (YamlMappingNode)Node(root, "services", "api");

        Assert.Equal("serverlessreco", Scalar(root, "name"));
        Assert.Equal("./src/ServerlessReco.Functions", Scalar(api, "project"));
        Assert.Equal("function", Scalar(api, "host"));
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.True(File.Exists(RepositoryLayout.PathOf("src", "ServerlessReco.Functions", "ServerlessReco.Functions.csproj")));
    }

    [Theory]
    [InlineData("posix", "sh")]
    [InlineData("windows", "pwsh")]
    public void PostprovisionHookRunsAScriptUnderInfraScripts(string platform, string shell)
    {
        var hook = Node(AzureYaml(), "hooks", "postprovision", platform);
        var run = Scalar(hook, "run");

        Assert.Equal(shell, Scalar(hook, "shell"));
        Assert.StartsWith("./infra/scripts/", run, StringComparison.Ordinal);
        Assert.True(File.Exists(RepositoryLayout.PathOf(run.Split('/', StringSplitOptions.RemoveEmptyEntries)[1..])), $"{run} does not exist.");
    }

    [Fact]
    public void ParametersFileSetsEveryRequiredParameterFromTheAzdEnvironment()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Infra, "main.parameters.json")))!;
        var given = file["parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value!["value"]);
        var declared = infra.Main.Template["parameters"]!.AsObject();
        var required = declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key).ToList();

        Assert.All(given.Keys, name => Assert.True(declared.ContainsKey(name), $"main.bicep has no parameter '{name}'."));
        Assert.All(required, name => Assert.True(given.ContainsKey(name), $"Required parameter '{name}' is not set."));
        Assert.Equal("${AZURE_ENV_NAME}", given["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", given["location"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", given["principalId"]);

        // Optional settings from azd env set, with the templates' defaults when unset (azd parses the array).
        Assert.Equal("${RECO_ALLOWED_CORS_ORIGINS=[]}", given["allowedCorsOrigins"]);
        Assert.Equal("${RECO_ALLOW_ANONYMOUS_READS=false}", given["allowAnonymousReads"]);
        Assert.Equal("${RECO_PSEUDONYM_KEY}", given["pseudonymKey"]);
        // The preprovision hook says whether this provision writes the key; unset, it writes none.
        Assert.Equal("${RECO_CREATE_PSEUDONYM_KEY=false}", given["createPseudonymKey"]);
    }

    [Theory]
    [InlineData("posix", "sh", "ensure-pseudonym-key.sh")]
    [InlineData("windows", "pwsh", "ensure-pseudonym-key.ps1")]
    public void PreprovisionHookEnsuresThePseudonymKey(string platform, string shell, string script)
    {
        var hook = Node(AzureYaml(), "hooks", "preprovision", platform);

        Assert.Equal(shell, Scalar(hook, "shell"));
        Assert.Equal($"./infra/scripts/{script}", Scalar(hook, "run"));
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.Infra, "scripts", script)), $"{script} does not exist.");
    }

    [Fact]
    public void MainOutputsWhatAzdAndTheHookNeed()
    {
        var outputs = infra.Main.Template["outputs"]!.AsObject();

        Assert.Contains(ArmDeployment.OutputMarker("api", "name"), infra.Main.Expand(outputs["AZURE_FUNCTION_APP_NAME"]!["value"]), StringComparison.Ordinal);
        Assert.Contains(ArmDeployment.OutputMarker("api", "uri"), infra.Main.Expand(outputs["SERVICE_API_URI"]!["value"]), StringComparison.Ordinal);
        Assert.All(HookVariables(), name => Assert.True(outputs.ContainsKey(name), $"The hooks read {name}, which main.bicep does not output."));
    }

    [Fact]
    public void BothHookScriptsReadTheSameEnvironmentValues()
    {
        var posix = Required(PosixRequire(), "write-local-settings.sh");
        var windows = Required(WindowsRequire(), "write-local-settings.ps1");

        Assert.NotEmpty(posix);
        Assert.Equal(posix, windows);
    }

    [Fact]
    public async Task PosixHookWritesLocalSettingsFromAzdEnvGetValuesWithoutTheProductionKey()
    {
        using var clis = ProvisionedEnvironment();
        var settingsPath = Path.Combine(clis.Folder, "local.settings.json");

        var result = await clis.RunAsync("write-local-settings.sh", settingsPath);

        Assert.True(result.ExitCode == 0, result.Describe());
        var written = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        var settings = written["Values"]!.AsObject();
        Assert.Equal("https://shop.example,http://localhost:3000", (string?)written["Host"]!["CORS"]);
        Assert.False((bool)written["Host"]!["CORSCredentials"]!);
        Assert.Equal("dotnet-isolated", (string?)settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("https://cosno-test.documents.azure.com:443/", (string?)settings["Cosmos__Endpoint"]);
        Assert.Equal(clis.Values["COSMOS_DATABASE"], (string?)settings["Cosmos__Database"]);
        Assert.Equal("https://sttest.blob.core.windows.net/", (string?)settings["ModelStorage__BlobServiceUri"]);
        Assert.Equal(clis.Values["MODEL_STORAGE_CONTAINER"], (string?)settings["ModelStorage__Container"]);
        Assert.Equal("https://sttest.blob.core.windows.net/", (string?)settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.False(settings.ContainsKey("AzureWebJobsStorage__accountName"), "The host uses blob only, as in Azure.");
        Assert.Equal("30", (string?)settings["Reco__RetentionDays"]);
        Assert.Equal("0 0 * * * *", (string?)settings["Reco__RetrainSchedule"]);
        // Locally the host and the app sign in as the developer: no managed-identity settings, no keys.
        Assert.DoesNotContain(settings, s => s.Key.EndsWith("ClientId", StringComparison.OrdinalIgnoreCase) || s.Key.EndsWith("__credential", StringComparison.Ordinal));
        Assert.DoesNotContain(settings, s => ((string?)s.Value ?? "").Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
        // The production key is not copied to this machine unless asked for, and says how to ask.
        Assert.False(settings.ContainsKey("Reco__PseudonymKey"));
        Assert.DoesNotContain(clis.Values["RECO_PSEUDONYM_KEY"], File.ReadAllText(settingsPath), StringComparison.Ordinal);
        Assert.Contains("RECO_WRITE_LOCAL_PSEUDONYM_KEY", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAProvisionTheKeyLeavesTheAzdEnvironmentBecauseKeyVaultHoldsIt()
    {
        using var clis = ProvisionedEnvironment();

        var result = await clis.RunAsync("write-local-settings.sh", Path.Combine(clis.Folder, "local.settings.json"));

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("", clis.LastSet("RECO_PSEUDONYM_KEY"));
        Assert.Equal("false", clis.LastSet("RECO_CREATE_PSEUDONYM_KEY"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AskedForItTheHookWritesTheKeyFromTheAzdEnvironmentOrFromKeyVault(bool stillInTheAzdEnvironment)
    {
        using var clis = ProvisionedEnvironment();
        clis.Values["RECO_WRITE_LOCAL_PSEUDONYM_KEY"] = "true";
        clis.SecretValue = "a2V5LWZyb20ta2V5LXZhdWx0LWtleS1mcm9tLWtleS12YXVsdCE=";
        if (!stillInTheAzdEnvironment)
        {
            clis.Values.Remove("RECO_PSEUDONYM_KEY");
        }

        var settingsPath = Path.Combine(clis.Folder, "local.settings.json");
        var result = await clis.RunAsync("write-local-settings.sh", settingsPath);

        Assert.True(result.ExitCode == 0, result.Describe());
        var expected = stillInTheAzdEnvironment ? ProvisionedKey : clis.SecretValue;
        Assert.Equal(expected, (string?)JsonNode.Parse(File.ReadAllText(settingsPath))!["Values"]!["Reco__PseudonymKey"]);
        Assert.Equal(!stillInTheAzdEnvironment, clis.AzCalls.Any(c => c.StartsWith("keyvault secret show --vault-name value-of-AZURE_KEY_VAULT_NAME --name pseudonym-key", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AskedForAKeyItCannotReadTheHookFailsClearly()
    {
        using var clis = ProvisionedEnvironment();
        clis.Values["RECO_WRITE_LOCAL_PSEUDONYM_KEY"] = "true";
        clis.Values.Remove("RECO_PSEUDONYM_KEY");

        var result = await clis.RunAsync("write-local-settings.sh", Path.Combine(clis.Folder, "local.settings.json"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Key Vault Secrets User", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PosixHookFailsClearlyBeforeProvisioning()
    {
        using var clis = new FakeAzureClis();
        clis.Values["AZURE_ENV_NAME"] = "dev";
        var settingsPath = Path.Combine(clis.Folder, "local.settings.json");

        var result = await clis.RunAsync("write-local-settings.sh", settingsPath);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("azd provision", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(settingsPath));
    }

    private const string ProvisionedKey = "cHNldWRvbnltLWtleS1mb3ItdGhlLWxvY2FsLWhvc3QhIQ==";

    /// <summary>The azd environment after a first provision: every output of main.bicep, and the key the hook generated.</summary>
    private FakeAzureClis ProvisionedEnvironment()
    {
        var clis = new FakeAzureClis();
        foreach (var name in infra.Main.Template["outputs"]!.AsObject().Select(o => o.Key))
        {
            clis.Values[name] = name switch
            {
                "COSMOS_ENDPOINT" => "https://cosno-test.documents.azure.com:443/",
                "AZURE_STORAGE_BLOB_SERVICE_URI" => "https://sttest.blob.core.windows.net/",
                "RECO_RETENTION_DAYS" => "30",
                "RECO_RETRAIN_SCHEDULE" => "0 0 * * * *",
                "RECO_CORS_ORIGINS" => "https://shop.example,http://localhost:3000",
                _ => $"value-of-{name}",
            };
        }

        clis.Values["RECO_PSEUDONYM_KEY"] = ProvisionedKey;
        return clis;
    }

    private static List<string> HookVariables() =>
        Required(PosixRequire(), "write-local-settings.sh").Union(Required(WindowsRequire(), "write-local-settings.ps1")).ToList();

    private static List<string> Required(Regex pattern, string script) =>
        pattern.Matches(File.ReadAllText(Path.Combine(RepositoryLayout.Infra, "scripts", script)))
            .Select(m => m.Groups["name"].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static YamlMappingNode AzureYaml()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryLayout.PathOf("azure.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"azure.yaml has no '{key}'.");
            node = child!;
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) =>
        Assert.IsType<YamlScalarNode>(Node(node, path)).Value ?? "";

    [GeneratedRegex(@"\$\(require (?<name>[A-Z0-9_]+)\)")]
    private static partial Regex PosixRequire();

    [GeneratedRegex(@"Require '(?<name>[A-Z0-9_]+)'")]
    private static partial Regex WindowsRequire();
}

/// <summary>A folder under the system temp path, deleted afterwards.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reco-infra-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
