namespace ServerlessReco.Infrastructure.Tests;

/// <summary>The templates compile and lint with no diagnostic at all: a warning fails the build like in C#.</summary>
public sealed class BicepCompilationTests(CompiledInfrastructure infra)
{
    [Fact]
    public void MainBicepBuildsWithoutAnyDiagnostic()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.Describe());
        Assert.Empty(BicepCli.Diagnostics(infra.Build.StandardError));
        Assert.True(string.IsNullOrWhiteSpace(infra.Build.StandardError), infra.Build.Describe());
    }

    [Fact]
    public void EveryTemplateLintsWithoutAnyDiagnostic()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.Describe());
        Assert.Empty(BicepCli.Diagnostics(infra.Lint.StandardOutput + infra.Lint.StandardError));
        Assert.True(string.IsNullOrWhiteSpace(infra.Lint.StandardOutput + infra.Lint.StandardError), infra.Lint.Describe());
    }

    [Fact]
    public void EveryModuleUnderInfraIsPartOfTheDeployment()
    {
        // The lint pattern and the build only prove something about files main.bicep reaches or the pattern matches.
        var modules = Directory.EnumerateFiles(RepositoryLayout.Infra, "*.bicep", SearchOption.AllDirectories)
            .Where(f => Path.GetFullPath(f) != Path.GetFullPath(RepositoryLayout.MainBicep))
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order()
            .ToList();
        // Modules of modules too (keyvault.bicep deploys pseudonym-key.bicep).
        var deployed = infra.Main.All().Skip(1).Select(m => m.Name).Order().ToList();

        Assert.NotEmpty(modules);
        Assert.Equal(modules, deployed);
    }

    [Fact]
    public void DiagnosticsAreRecognisedInBicepOutput()
    {
        // Bicep prints type errors as warnings and exits with 0: the check above must see them in the text.
        const string output = """
            /repo/infra/app/storage.bicep(33,5) : Warning BCP037: The property "bogus" is not allowed on objects of type "X".
            /repo/infra/app/identity.bicep(19,5) : Error no-unused-vars: Variable "x" is declared but never used.
            Compiled: nothing wrong (1,2) here
            """;

        Assert.Equal(2, BicepCli.Diagnostics(output).Count);
    }

    [Fact]
    public void NoModuleComesFromARegistry()
    {
        // Our machines cannot reach the public module registry; every resource is declared here.
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.Infra, "*.bicep", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(@"module\s+\S+\s+'(br|ts)[:/]", text);
        }
    }
}
