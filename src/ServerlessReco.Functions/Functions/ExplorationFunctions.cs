using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// <c>GET /api/manage/exploration?days=7&amp;rates=0,0.1,0.2</c> (admin key): what the served lists of the last days
/// earned online per policy and slot kind (click-through, add-to-cart, conversion, attributed by
/// <c>recommendationId</c>), and off-policy estimates (IPS, self-normalised IPS) of what other exploration rates would
/// have earned on the same traffic, and how many logged propensities are Monte Carlo estimates (with their mean and
/// largest standard error). One read of the window's events. Beside them, the rate this instance serves now
/// (<c>explore</c>: the one the serving version's retrain chose when the rate adapts, else the configured one) and that
/// choice with its evidence (<c>adaptiveRate</c>, null when the version carries none).
/// </summary>
public sealed class ExplorationFunctions(
    IServedListStore servedLists, IEventStore events, IOptions<ServingOptions> servingOptions, ModelCache servingModel, TimeProvider time)
{
    private readonly ServingOptions serving = servingOptions.Value;

    [Function(nameof(GetExplorationReport))]
    public async Task<IActionResult> GetExplorationReport(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/exploration")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request);
        var days = query.ExplorationDays("days");
        var rates = query.ExplorationRates("rates");
        if (query.Refusal() is { } refusal)
        {
            return refusal;
        }

        var choice = serving.ChosenRate(await servingModel.GetAsync(cancellationToken));
        var explore = choice?.Rate ?? serving.Explore;
        var settings = serving.ToExplorationSettings() with { Explore = explore };
        var report = await ExplorationReport.ReadAsync(servedLists, events, time.GetUtcNow(), days, ExplorationEvaluationOptions.From(settings, rates), cancellationToken);
        return JsonDefaults.Json(new
        {
            policy = serving.ExplorationPolicy,
            explore,
            configuredExplore = serving.Explore,
            adaptiveRate = choice,
            days,
            report.LoggedSlots,
            monteCarloPropensities = report.MonteCarlo,
            online = report.Online,
            estimates = report.Estimates,
        });
    }
}
