namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// What `azd deploy` ships is the published Functions app: research code (the lab's simulators, benchmarks and
/// datasets, the LambdaRank re-ranker) and the CLI's libraries must never be in it.
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
            string[] forbidden = ["ServerlessReco.Lab", "ServerlessReco.Ranking", "ServerlessReco.Cli", "ServerlessReco.LocalHost", "ScottPlot", "Spectre.Console", "System.CommandLine"];
            foreach (var name in forbidden)
            {
                Assert.DoesNotContain(assemblies, a => a!.StartsWith(name, StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
