using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// The kill half of <c>reco chaos</c>: a local host in a child process on the same stores is killed with SIGKILL in the
/// middle of a 1,000-event batch and again in the middle of a retrain, started again each time; the client sends the
/// batch again, and the next retrain must publish once the killed run's lease has expired. The checks read the stores
/// through the in-process host's services (faults off by then).
/// </summary>
internal sealed class KillScenario(IReadOnlyList<string> storeSettings, IServiceProvider services, ChaosShop shop, TimeSpan retrainWithin)
{
    public async Task<ChaosFigures> RunAsync(CancellationToken cancellationToken)
    {
        var (body, serials) = shop.Batch(0, Core.Ingestion.IngestionLimits.MaxBatchSize, DateTimeOffset.UtcNow);
        var host = await LocalHostProcess.StartAsync(storeSettings, cancellationToken).ConfigureAwait(false);
        try
        {
            var client = Client(host);

            // 1. Killed while the batch is being written: no answer, so the client sends it again to the next host.
            var inFlight = client.SendOnceAsync(HttpMethod.Post, "api/events", body, cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken).ConfigureAwait(false);
            await host.KillAsync().ConfigureAwait(false);
            var firstAnswer = await inFlight.ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            host = await LocalHostProcess.StartAsync(storeSettings, cancellationToken).ConfigureAwait(false);
            client = Client(host);
            var retried = await client.SendAsync(HttpMethod.Post, "api/events", body, cancellationToken).ConfigureAwait(false);
            var accepted = firstAnswer?.Status == HttpStatusCode.Accepted || retried.Status == HttpStatusCode.Accepted;

            // 2. Killed while retraining: the lease it holds expires, and a retrain on the next host publishes.
            var before = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            var retrain = client.SendOnceAsync(HttpMethod.Post, "admin/functions/Retrain", "{}", cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            await host.KillAsync().ConfigureAwait(false);
            await retrain.ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            host = await LocalHostProcess.StartAsync(storeSettings, cancellationToken).ConfigureAwait(false);
            var (runs, published) = await RetrainUntilPublishedAsync(Client(host), before, cancellationToken).ConfigureAwait(false);
            return await FiguresAsync(client, accepted ? serials : [], runs, published, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ChaosClient Client(LocalHostProcess host)
    {
        var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Add("x-functions-key", host.AdminKey);
        return new ChaosClient(http);
    }

    /// <summary>Runs the retrain until the pointer names a new version (a run refused by the killed run's lease ends at once).</summary>
    private async Task<(int Runs, bool Published)> RetrainUntilPublishedAsync(ChaosClient client, string? before, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + retrainWithin;
        var runs = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            runs++;
            await client.SendOnceAsync(HttpMethod.Post, "admin/functions/Retrain", "{}", cancellationToken).ConfigureAwait(false);
            if (await CurrentAsync(cancellationToken).ConfigureAwait(false) is { } now && now != before)
            {
                return (runs, true);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }

        return (runs, false);
    }

    private async Task<string?> CurrentAsync(CancellationToken cancellationToken) =>
        (await services.GetRequiredService<ModelRegistry>().GetCurrentAsync(cancellationToken).ConfigureAwait(false))?.Pointer.Version;

    private async Task<ChaosFigures> FiguresAsync(ChaosClient client, IReadOnlyList<int> accepted, int runs, bool published, CancellationToken cancellationToken)
    {
        var wanted = accepted.ToHashSet();
        var stored = new Dictionary<int, int>();
        await foreach (var e in services.GetRequiredService<IEventStore>().ReadAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.Properties.TryGetValue(ChaosShop.SerialProperty, out var serial) && int.Parse(serial, System.Globalization.CultureInfo.InvariantCulture) is var n && wanted.Contains(n))
            {
                stored[n] = stored.GetValueOrDefault(n) + 1;
            }
        }

        var registry = services.GetRequiredService<ModelRegistry>();
        var current = (await registry.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.IsCurrent);
        return new ChaosFigures
        {
            RequestsSent = client.Requests,
            Accepted202 = client.Count(HttpStatusCode.Accepted),
            Unavailable503 = client.Count(HttpStatusCode.ServiceUnavailable),
            ServerErrors500 = client.Count(s => s >= 500 && s != 503),
            ConnectionErrors = client.ConnectionErrors,
            EventsAccepted = accepted.Count,
            EventsLost = accepted.Count(n => !stored.ContainsKey(n)),
            Duplicates = stored.Values.Sum(c => c - 1),
            RetrainRuns = runs + 1,
            RetrainsPublished = published ? 1 : 0,
            CurrentVersionComplete = current is { HasArtifact: true, Metrics: not null },
            HostKills = 2,
            PublishedAfterKills = published,
        };
    }
}
