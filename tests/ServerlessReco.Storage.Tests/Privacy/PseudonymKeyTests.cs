using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Hosting;
using ServerlessReco.Storage.Tests.Embedded;
using static ServerlessReco.Storage.Tests.Contracts.SampleEvents;

namespace ServerlessReco.Storage.Tests.Privacy;

/// <summary>Where the hosts' composition takes the pseudonym key from, and that every host's event store is the pseudonymising one.</summary>
public sealed class PseudonymKeyTests : IDisposable
{
    private const string RawUserId = "key-test-shopper";

    private readonly TemporaryFolder _folder = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string KeyFile => LocalPseudonymKeyFile.PathIn(_folder.Path);

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddRecoCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    private ServiceProvider BuildEmbedded(string? key = null) =>
        Build(new() { ["Embedded:DataDirectory"] = _folder.Path, ["Reco:PseudonymKey"] = key });

    /// <summary>The user id the events of <see cref="RawUserId"/> are stored under, read from the store behind the door.</summary>
    private static async Task<string> StoredUserIdAsync(ServiceProvider services)
    {
        var door = Assert.IsType<PseudonymisingEventStore>(services.GetRequiredService<IEventStore>());
        await door.AppendAsync([Event(RawUserId, "i1", "e1")], Cancel);
        await foreach (var e in door.Inner.ReadAllAsync(cancellationToken: Cancel))
        {
            return e.UserId;
        }

        throw new InvalidOperationException("Nothing was stored.");
    }

    [Fact]
    public async Task WithoutAKeyTheEmbeddedStoreGeneratesOneThatTheNextStartReadsAgain()
    {
        string first;
        await using (var services = BuildEmbedded())
        {
            first = await StoredUserIdAsync(services);
        }

        var written = await File.ReadAllTextAsync(KeyFile, Cancel);
        await using (var again = BuildEmbedded())
        {
            Assert.Equal(first, await StoredUserIdAsync(again));
            Assert.Single(await ReadUserAsync(again));
        }

        Assert.Equal(written, await File.ReadAllTextAsync(KeyFile, Cancel));
        Assert.Equal(32, Convert.FromBase64String(written).Length);
        Assert.NotEqual(RawUserId, first);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }
    }

    [Fact]
    public async Task AnExistingKeyFileIsUsedAndNeverOverwritten()
    {
        var key = UserPseudonymiser.NewKeyBase64();
        await File.WriteAllTextAsync(KeyFile, key, Cancel);

        await using (var services = BuildEmbedded())
        {
            Assert.Equal(UserPseudonymiser.FromBase64(key).Pseudonymise(RawUserId), await StoredUserIdAsync(services));
        }

        Assert.Equal(key, await File.ReadAllTextAsync(KeyFile, Cancel));
    }

    [Fact]
    public async Task AConfiguredKeyIsUsedAndNoKeyFileIsWritten()
    {
        var key = UserPseudonymiser.NewKeyBase64();

        await using var services = BuildEmbedded(key);

        Assert.Equal(UserPseudonymiser.FromBase64(key).Pseudonymise(RawUserId), await StoredUserIdAsync(services));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task CosmosDbWithoutAKeyRefusesToStart()
    {
        await using var services = Build(new()
        {
            ["Embedded:DataDirectory"] = _folder.Path,
            ["Cosmos:Endpoint"] = "https://cosno-unused.documents.azure.com:443/",
        });

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(PseudonymKey.RequiredMessage, refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQta2V5")] // 9 bytes
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-reco.vault.azure.net/secrets/pseudonym-key)")]
    public async Task AKeyThatIsNot32BytesOfBase64RefusesToStart(string key)
    {
        await using var services = BuildEmbedded(key);

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(PseudonymKey.InvalidMessage, refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ReadUserAsync(ServiceProvider services)
    {
        var ids = new List<string>();
        await foreach (var e in services.GetRequiredService<IEventStore>().ReadUserHistoryAsync(RawUserId, 1000, Cancel))
        {
            ids.Add(e.EventId);
        }

        return ids;
    }

    public void Dispose() => _folder.Dispose();
}
