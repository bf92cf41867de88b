namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// What `azd deploy` ships is the published Functions app: research code (the lab's simulators, benchmarks and
/// datasets, the LambdaRank re-ranker), the CLI's libraries (its fault injection too) and the browser tests'
/// Playwright must never be in it; the dashboard's page and chart library must.
/// </summary>
public sealed class PublishedAppTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePublishedFunctionAppCarriesNoLabAssembly()
    {
        var output = Directory.CreateTempSubdirectory("reco-publish-").FullName;
        try
        {
            // The Debug build the test command has already made: publish only copies, so this takes seconds.
            var result = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", RepositoryLayout.PathOf("src", "ServerlessReco.Functions", "ServerlessReco.Functions.csproj"),
                    "-c", "Debug", "-o", output, "--nologo", "-v", "q"],
                RepositoryLayout.Root,
                cancellationToken: Cancel);
            Assert.True(result.ExitCode == 0, result.Describe());

            var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).ToList();
            Assert.Contains("ServerlessReco.Functions.dll", assemblies);
            Assert.Contains("ServerlessReco.Core.dll", assemblies);
            Assert.Contains("ServerlessReco.ClickTraining.dll", assemblies); // the retrain trains the click model in the app
            string[] forbidden = ["ServerlessReco.Lab", "ServerlessReco.Ranking", "ServerlessReco.Cli", "ServerlessReco.LocalHost", "ScottPlot", "Spectre.Console", "System.CommandLine", "Microsoft.Playwright",
                "Polly"]; // the fault injection of reco chaos (Polly's chaos strategies) is the CLI's alone
            foreach (var name in forbidden)
            {
                // By whole name segments: ServerlessReco.ClickTraining (the click model's trainer, which the app runs) is not ServerlessReco.Cli.
                Assert.DoesNotContain(assemblies, a => a == $"{name}.dll" || a!.StartsWith(name + ".", StringComparison.Ordinal));
            }

            // The dashboard's browser tests drive Playwright's driver; the app carries the page and its chart library only.
            Assert.False(Directory.Exists(Path.Combine(output, ".playwright")), "Playwright's driver was published with the app.");
            Assert.Contains("ServerlessReco.Functions.Dashboard.uPlot.iife.min.js", EmbeddedResources(Path.Combine(output, "ServerlessReco.Functions.dll")));
            Assert.Contains("ServerlessReco.Functions.Dashboard.index.html", EmbeddedResources(Path.Combine(output, "ServerlessReco.Functions.dll")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static List<string> EmbeddedResources(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.ManifestResources.Select(handle => metadata.GetString(metadata.GetManifestResource(handle).Name)).ToList();
    }
}
