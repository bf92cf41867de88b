using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;
using ServerlessReco.Hosting;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Azure;

/// <summary>The hosts' composition picks Cosmos DB and Blob storage when their settings are given.</summary>
public sealed class CosmosAndBlobHostingTests : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = new ServiceCollection().AddRecoCore(configuration).BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    [Fact]
    public void WithoutAzureSettingsTheEmbeddedStoreIsUsed()
    {
        var services = Build(new() { ["Embedded:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"reco-{Guid.NewGuid():N}") });

        Assert.IsType<FolderModelBlobStore>(services.GetRequiredService<IModelBlobStore>());
        Assert.StartsWith("embedded", RecoComposition.DescribeStorage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CosmosAndBlobSettingsSwitchTheStoresToAzure()
    {
        var cosmos = CosmosEmulator.FreshOptions();
        _ = CosmosEmulator.Client;
        var blobs = BlobEmulator.FreshOptions();
        _ = BlobEmulator.Client;
        var services = Build(EmulatorSettings.For(cosmos, blobs, retentionDays: 30));

        var events = Assert.IsType<PseudonymisingEventStore>(services.GetRequiredService<IEventStore>());
        Assert.IsType<CosmosEventStore>(events.Inner);
        Assert.IsType<CosmosItemStore>(services.GetRequiredService<IItemStore>());
        var models = Assert.IsType<BlobModelStore>(services.GetRequiredService<IModelBlobStore>());
        Assert.StartsWith("azure: Cosmos DB", RecoComposition.DescribeStorage(services), StringComparison.Ordinal);

        Assert.Equal(new AppendResult(1, 0), await events.AppendAsync([Event("u1", "i1", "e1")], Cancel));
        await models.PutAsync("current.json", new MemoryStream(Encoding.UTF8.GetBytes("{}")), BlobCondition.IfNotExists, Cancel);
        Assert.NotNull(await models.GetETagAsync("current.json", Cancel));

        await CosmosEmulator.Client.GetDatabase(cosmos.Database).DeleteAsync(cancellationToken: Cancel);
        await BlobEmulator.Client.GetBlobContainerClient(blobs.Container).DeleteIfExistsAsync(cancellationToken: Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }
}
