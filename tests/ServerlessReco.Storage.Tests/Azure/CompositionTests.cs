using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Functions;
using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>
/// The hosts' one composition (<see cref="RecoComposition"/>), embedded and against the emulators: every function
/// class resolves, the event store is the pseudonymising one around the chosen adapter, and a storage that cannot
/// be prepared stops the start with what to fix.
/// </summary>
public sealed class CompositionTests : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<Func<Task>> _cleanUp = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<ServiceProvider> StartAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = new ServiceCollection().AddLogging().AddRecoFunctions(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        await HostStart.RunAsync(provider, Cancel);
        return provider;
    }

    private Dictionary<string, string?> Emulators(Action<CosmosStoreOptions>? cosmos = null)
    {
        var cosmosOptions = CosmosEmulator.FreshOptions();
        cosmos?.Invoke(cosmosOptions);
        var client = CosmosEmulator.Client;
        var blobs = BlobEmulator.FreshOptions();
        var blobClient = BlobEmulator.Client;
        _cleanUp.Add(async () =>
        {
            try
            {
                await client.GetDatabase(cosmosOptions.Database).DeleteAsync(cancellationToken: default);
            }
            catch (Microsoft.Azure.Cosmos.CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The start was refused before the database was created.
            }

            await blobClient.GetBlobContainerClient(blobs.Container).DeleteIfExistsAsync(cancellationToken: default);
        });
        return EmulatorSettings.For(cosmosOptions, blobs, retentionDays: 30);
    }

    private static void AssertEveryFunctionClassResolves(IServiceProvider services)
    {
        var catalog = FunctionCatalog.Discover(typeof(FunctionsServiceCollectionExtensions).Assembly);
        Assert.NotEmpty(catalog.Functions);
        foreach (var type in catalog.Functions.Select(f => f.Class).Distinct())
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
        }
    }

    [Fact]
    public async Task WithoutAzureSettingsEveryFunctionRunsOnTheEmbeddedStoreBehindThePseudonymisingDoor()
    {
        var services = await StartAsync(new() { ["Embedded:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"reco-{Guid.NewGuid():N}") });

        AssertEveryFunctionClassResolves(services);
        var events = Assert.IsType<PseudonymisingEventStore>(services.GetRequiredService<IEventStore>());
        Assert.IsType<SqliteEventStore>(events.Inner);
        Assert.IsType<SqliteItemStore>(services.GetRequiredService<IItemStore>());
        Assert.IsType<FolderModelBlobStore>(services.GetRequiredService<IModelBlobStore>());
        Assert.StartsWith("embedded", RecoComposition.DescribeStorage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CosmosAndBlobSettingsPutEveryFunctionOnAzureBehindThePseudonymisingDoor()
    {
        var services = await StartAsync(Emulators());

        AssertEveryFunctionClassResolves(services);
        var events = Assert.IsType<PseudonymisingEventStore>(services.GetRequiredService<IEventStore>());
        Assert.IsType<CosmosEventStore>(events.Inner);
        Assert.IsType<CosmosItemStore>(services.GetRequiredService<IItemStore>());
        var models = Assert.IsType<BlobModelStore>(services.GetRequiredService<IModelBlobStore>());
        Assert.StartsWith("azure: Cosmos DB", RecoComposition.DescribeStorage(services), StringComparison.Ordinal);

        // The start created the database, the containers and the blob container: the stores work at once.
        Assert.Equal(new AppendResult(1, 0), await events.AppendAsync([Event("u1", "i1", "e1")], Cancel));
        await models.PutAsync("current.json", new MemoryStream(Encoding.UTF8.GetBytes("{}")), BlobCondition.IfNotExists, Cancel);
        Assert.NotNull(await models.GetETagAsync("current.json", Cancel));
    }

    [Fact]
    public async Task AMissingCosmosDatabaseThatMayNotBeCreatedStopsTheHostsStartSayingWhatToDo()
    {
        var settings = Emulators();
        settings["Cosmos:CreateIfMissing"] = "false";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRecoCore(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<StorageSchemaException>(() => host.StartAsync(Cancel));

        Assert.Contains($"database '{settings["Cosmos:Database"]}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist and Cosmos:CreateIfMissing is false", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Cosmos__CreateIfMissing=true", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABlobAccountThatRefusesTheKeyStopsTheStartNamingTheSettingToCheck()
    {
        var settings = Emulators();
        var connection = settings["ModelStorage:ConnectionString"]!;
        var wrongKey = Convert.ToBase64String(new byte[64]);
        settings["ModelStorage:ConnectionString"] = System.Text.RegularExpressions.Regex.Replace(connection, "AccountKey=[^;]+", $"AccountKey={wrongKey}");

        var failure = await Assert.ThrowsAsync<StorageSchemaException>(() => StartAsync(settings));

        Assert.Contains($"Blob container '{settings["ModelStorage:Container"]}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("refused access (403", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ModelStorage__ConnectionString", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRetrainModelStopsTheStartNamingTheChoices()
    {
        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => StartAsync(new()
        {
            ["Embedded:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"reco-{Guid.NewGuid():N}"),
            ["Reco:RetrainModel"] = "lightgbm",
        }));

        Assert.Contains("Reco:RetrainModel", failure.Message, StringComparison.Ordinal);
        Assert.Contains("auto, ease, sar or sequence", failure.InnerException?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sar", Core.Recommendation.ModelKind.Sar)]
    [InlineData("EASE", Core.Recommendation.ModelKind.Ease)]
    public async Task TheRetrainModelSettingIsReadByName(string setting, Core.Recommendation.ModelKind expected)
    {
        var services = await StartAsync(new()
        {
            ["Embedded:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"reco-{Guid.NewGuid():N}"),
            ["Reco:RetrainModel"] = setting,
        });

        Assert.Equal(expected, services.GetRequiredService<IOptions<RecoOptions>>().Value.RetrainModel);
        Assert.Equal(expected, services.GetRequiredService<Core.Training.RetrainOptions>().Trainer.Model);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var cleanUp in _cleanUp)
        {
            await cleanUp();
        }
    }
}

/// <summary>What a host does at start, for tests that build the services without one: check the settings, run the start-up services.</summary>
internal static class HostStart
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<IStartupValidator>().Validate();
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }
    }
}
