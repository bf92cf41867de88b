using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// <c>reco chaos</c>: the fault-injection run against real stores (the emulators: <c>tests/emulators/run-with.sh</c>).
/// Polly's chaos strategies sit inside the Cosmos DB and Blob clients of an in-process local host (through
/// <see cref="StoreClientHooks"/>, which the Function app never registers); then a local host in a child process is
/// killed mid-batch and mid-retrain. Prints the table of docs/benchmarks.md; exit code 0 only when every promise held.
/// </summary>
public sealed class ChaosCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly Option<double> _rate = new Option<double>("--rate")
    {
        HelpName = "SHARE",
        Description = "the share of store calls that meets a fault, 0.1 to 0.3",
        DefaultValueFactory = _ => 0.2,
    }.Check(r => r is >= 0.1 and <= 0.3 ? null : $"--rate must be 0.1 to 0.3, not {r.ToString(CultureInfo.InvariantCulture)}.");

    private readonly Option<int> _events = new Option<int>("--events") { HelpName = "N", Description = "events posted while faults are on", DefaultValueFactory = _ => 600 }
        .Check(n => n >= 30 ? null : $"--events must be at least 30, not {n}.");

    private readonly Option<int> _seed = new("--seed") { HelpName = "N", Description = "seed of the fault plan and the shop", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _noKills = new("--no-kills") { Description = "skip the SIGKILL half (child local hosts)" };

    public ChaosCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("chaos", "Inject store faults and kill the host; check nothing is lost, nothing stored twice, no 500.")
    {
        _environment = environment;
        Details = """
            Needs Cosmos DB and Blob storage: Cosmos__Endpoint, Cosmos__Key and ModelStorage__ConnectionString, as
            tests/emulators/run-with.sh sets them for the emulators (a fresh database and container per run). Prints the
            figures as a table; exit code 0 when every promise held, 1 when one broke, 2 for a usage error.
            """;
        Add(_rate);
        Add(_events);
        Add(_seed);
        Add(_noKills);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = (_environment ?? Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value))).ToDictionary(StringComparer.OrdinalIgnoreCase);
        if (StoreSettings(settings, parsed.GetValue(_seed)) is not { } stores)
        {
            return UsageError(parsed, "needs Cosmos__Endpoint, Cosmos__Key and ModelStorage__ConnectionString (run it with tests/emulators/run-with.sh).");
        }

        var plan = new FaultPlan(parsed.GetValue(_rate), parsed.GetValue(_seed));
        var shop = new ChaosShop(20, 10, parsed.GetValue(_seed));
        await using var app = LocalFunctionsHost.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Error", .. stores], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.Services.AddSingleton(new StoreClientHooks(
                cosmos => cosmos.CustomHandlers.Add(new ChaosCosmosHandler(plan)),
                blob => blob.AddPolicy(new ChaosBlobPolicy(plan), global::Azure.Core.HttpPipelinePosition.PerCall)));
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(100) };
            var figures = await new ChaosScenario(new ChaosClient(http), plan, app.Services, shop, new ChaosOptions(Events: parsed.GetValue(_events)))
                .RunAsync(cancellationToken).ConfigureAwait(false);
            if (!parsed.GetValue(_noKills))
            {
                var kills = await new KillScenario(stores, app.Services, shop, TimeSpan.FromSeconds(60)).RunAsync(cancellationToken).ConfigureAwait(false);
                figures = figures.Add(kills);
            }

            figures.Write(output, plan.Rate);
            return figures.Holds ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The host settings for a fresh database and container of this run, from the environment's store settings.</summary>
    private static List<string>? StoreSettings(Dictionary<string, string?> environment, int seed)
    {
        string? Get(string key) => environment.GetValueOrDefault(key) ?? environment.GetValueOrDefault(key.Replace("__", ":", StringComparison.Ordinal));
        if (Get("Cosmos__Endpoint") is not { Length: > 0 } endpoint || Get("Cosmos__Key") is not { Length: > 0 } key ||
            Get("ModelStorage__ConnectionString") is not { Length: > 0 } blobs)
        {
            return null;
        }

        var run = $"chaos{DateTime.UtcNow:MMddHHmmss}s{seed}";
        return
        [
            $"--Cosmos:Endpoint={endpoint}", $"--Cosmos:Key={key}", $"--Cosmos:Database={run}",
            "--Cosmos:ConnectionMode=Gateway", "--Cosmos:LimitToEndpoint=true",
            $"--ModelStorage:ConnectionString={blobs}", $"--ModelStorage:Container={run}",
            $"--Reco:PseudonymKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            $"--Reco:RetrainLeaseSeconds={ChaosScenario.LeaseAfterFaults.TotalSeconds}", // a killed retrain blocks the next for 15 s, the shortest lease allowed
            "--Reco:ContentModel=false", // the content model's embedding is the retrain helper's; this run is about the stores
            "--RateLimits:ShopperPerMinute=0", "--RateLimits:AddressPerMinute=0", // the client is one address posting hundreds a minute
        ];
    }
}
