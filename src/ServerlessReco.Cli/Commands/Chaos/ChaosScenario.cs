using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// The run of <c>reco chaos</c> against one local host whose SDK clients carry the <see cref="FaultPlan"/>: the catalogue
/// goes in with faults off, then with faults on the shop posts events, asks for lists, retrains (which promotes) and
/// erases shoppers; then faults stop, a last retrain runs, and the store itself is read to check every promise.
/// </summary>
internal sealed class ChaosScenario(ChaosClient client, FaultPlan plan, IServiceProvider services, ChaosShop shop, ChaosOptions options)
{
    private readonly List<int> _accepted = [];
    private readonly HashSet<int> _erasedSerials = [];
    private readonly HashSet<int> _erased = [];
    private readonly Dictionary<int, List<int>> _serialsByShopper = [];
    private long _listRequests;
    private long _listsServed;
    private long _retrainRuns;
    private long _published;

    public async Task<ChaosFigures> RunAsync(CancellationToken cancellationToken)
    {
        foreach (var body in shop.CatalogueBodies())
        {
            await client.SendAsync(HttpMethod.Put, "api/items", body, cancellationToken).ConfigureAwait(false);
        }

        plan.Enabled = true;
        await IngestAsync(options.Events, cancellationToken).ConfigureAwait(false);
        await ServeAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < options.RetrainsUnderFaults; i++)
        {
            await RetrainAsync(cancellationToken).ConfigureAwait(false);
            await ServeAsync(cancellationToken).ConfigureAwait(false);
        }

        var erased = await EraseAsync(cancellationToken).ConfigureAwait(false);
        plan.Enabled = false;

        // Faults over: something new to train on, then the next retrain must publish.
        await IngestAsync(options.Shoppers * 3, cancellationToken).ConfigureAwait(false);
        await RetrainUntilPublishedAsync(cancellationToken).ConfigureAwait(false);
        return await CheckAsync(erased, cancellationToken).ConfigureAwait(false);
    }

    private async Task IngestAsync(int events, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < events; sent += options.BatchSize)
        {
            var shopper = (sent / options.BatchSize) % options.Shoppers;
            if (_erased.Contains(shopper))
            {
                continue; // an erased shopper who came back would be a new shopper: the check is of the erasure
            }

            var (body, serials) = shop.Batch(shopper, options.BatchSize, DateTimeOffset.UtcNow);
            var answer = await client.SendAsync(HttpMethod.Post, "api/events", body, cancellationToken).ConfigureAwait(false);
            if (answer.Status == HttpStatusCode.Accepted)
            {
                _accepted.AddRange(serials);
            }

            (_serialsByShopper.TryGetValue(shopper, out var mine) ? mine : _serialsByShopper[shopper] = []).AddRange(serials);
        }
    }

    /// <summary>One list for a few shoppers: each must come (from the model or a fallback), whatever the stores do.</summary>
    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        for (var shopper = 0; shopper < options.Shoppers; shopper += 2)
        {
            _listRequests++;
            var answer = await client.SendOnceAsync(HttpMethod.Get, $"api/users/{shop.Shopper(shopper)}/recommendations?count=5", null, cancellationToken)
                .ConfigureAwait(false);
            if (answer is { Status: HttpStatusCode.OK } ok && JsonDocument.Parse(ok.Body).RootElement.GetProperty("items").GetArrayLength() > 0)
            {
                _listsServed++;
            }
        }
    }

    /// <summary>Runs the retrain timer function now; published when the pointer names another version afterwards.</summary>
    private async Task RetrainAsync(CancellationToken cancellationToken)
    {
        var before = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        _retrainRuns++;
        await client.SendOnceAsync(HttpMethod.Post, "admin/functions/Retrain", "{}", cancellationToken).ConfigureAwait(false);
        if (await CurrentVersionAsync(cancellationToken).ConfigureAwait(false) is { } after && after != before)
        {
            _published++;
        }
    }

    /// <summary>
    /// The first retrain after the faults, again once a second while it does not publish, for at most a lease and a
    /// few seconds: a run under faults whose release failed leaves its lease to expire (by design, at most
    /// <c>Reco:RetrainLeaseSeconds</c>), and the next run is skipped until then. Each attempt counts as a retrain run.
    /// </summary>
    private async Task RetrainUntilPublishedAsync(CancellationToken cancellationToken)
    {
        var published = _published;
        var until = DateTimeOffset.UtcNow + LeaseAfterFaults + TimeSpan.FromSeconds(5);
        await RetrainAsync(cancellationToken).ConfigureAwait(false);
        while (_published == published && DateTimeOffset.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            await RetrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The lease the chaos host runs with (<see cref="ChaosCommand"/> passes <c>--Reco:RetrainLeaseSeconds=15</c>).</summary>
    internal static readonly TimeSpan LeaseAfterFaults = TimeSpan.FromSeconds(15);

    /// <summary>The version the pointer names, read with faults off for the moment (the check is the run's, not the shop's).</summary>
    private async Task<string?> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        var enabled = plan.Enabled;
        plan.Enabled = false;
        try
        {
            return (await services.GetRequiredService<ModelRegistry>().GetCurrentAsync(cancellationToken).ConfigureAwait(false))?.Pointer.Version;
        }
        finally
        {
            plan.Enabled = enabled;
        }
    }

    private async Task<IReadOnlyList<int>> EraseAsync(CancellationToken cancellationToken)
    {
        var erased = Enumerable.Range(0, options.Shoppers).Where(s => s % 5 == 1).ToList();
        foreach (var shopper in erased)
        {
            await client.SendAsync(HttpMethod.Delete, $"api/users/{shop.Shopper(shopper)}", null, cancellationToken).ConfigureAwait(false);
            _erasedSerials.UnionWith(_serialsByShopper.GetValueOrDefault(shopper) ?? []);
            _erased.Add(shopper);
        }

        return erased;
    }

    private async Task<ChaosFigures> CheckAsync(IReadOnlyList<int> erased, CancellationToken cancellationToken)
    {
        var events = services.GetRequiredService<IEventStore>();
        var stored = new Dictionary<int, int>();
        await foreach (var e in events.ReadAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.Properties.TryGetValue(ChaosShop.SerialProperty, out var serial) && e.UserId.Length > 0)
            {
                var n = int.Parse(serial, System.Globalization.CultureInfo.InvariantCulture);
                stored[n] = stored.GetValueOrDefault(n) + 1;
            }
        }

        var erasedLeft = 0;
        foreach (var shopper in erased)
        {
            await foreach (var _ in events.ReadUserHistoryAsync(shop.Shopper(shopper), 1, cancellationToken).ConfigureAwait(false))
            {
                erasedLeft++;
                break;
            }
        }

        var registry = services.GetRequiredService<ModelRegistry>();
        var versions = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
        var current = versions.FirstOrDefault(v => v.IsCurrent);
        return new ChaosFigures
        {
            StoreCalls = plan.Calls,
            FaultsInjected = plan.Injected,
            FaultsByKind = plan.InjectedByKind,
            RequestsSent = client.Requests,
            Statuses = client.Statuses,
            Accepted202 = client.Count(HttpStatusCode.Accepted),
            Unavailable503 = client.Count(HttpStatusCode.ServiceUnavailable),
            UnavailableWithoutRetryAfter = client.UnavailableWithoutRetryAfter,
            ServerErrors500 = client.Count(s => s >= 500 && s != 503),
            ConnectionErrors = client.ConnectionErrors,
            EventsAccepted = _accepted.Count,
            EventsLost = _accepted.Count(n => !_erasedSerials.Contains(n) && !stored.ContainsKey(n)),
            Duplicates = stored.Values.Sum(c => c - 1),
            ListRequests = _listRequests,
            ListsServed = _listsServed,
            RetrainRuns = _retrainRuns,
            RetrainsPublished = _published,
            CurrentVersionComplete = current is { HasArtifact: true, Metrics: not null } &&
                await registry.LoadAsync(current.Version, cancellationToken).ConfigureAwait(false) is not null,
            ErasedShoppers = erased.Count,
            ErasedShoppersLeft = erasedLeft + erased.Count(s => (_serialsByShopper.GetValueOrDefault(s) ?? []).Any(stored.ContainsKey)),
        };
    }
}

/// <summary>How big a <c>reco chaos</c> run is.</summary>
internal sealed record ChaosOptions(int Shoppers = 20, int Events = 600, int BatchSize = 3, int RetrainsUnderFaults = 2, int ItemsPerCategory = 10);
