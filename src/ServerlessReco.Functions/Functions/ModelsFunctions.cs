using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Functions;

/// <summary>
/// Retraining on a timer, and the model versions for administrators: <c>GET /api/manage/models</c> and
/// <c>POST /api/manage/models/{version}/promote</c> (admin key). Not <c>/api/admin/...</c>: the Functions host
/// refuses routes that start with <c>admin</c>, whatever the route prefix, because its own API lives there.
/// </summary>
/// <remarks>
/// After a promotion the instance that made it reloads its own model at once; every other instance notices the
/// new entity tag of <c>models/current.json</c> within its check interval.
/// </remarks>
public sealed class ModelsFunctions(RetrainService retrain, ModelRegistry registry, ModelCache servingModel, ILogger<ModelsFunctions> logger)
{
    /// <summary>
    /// The schedule is the app setting <c>Reco__RetrainSchedule</c>; binding expressions name settings with
    /// <c>:</c> (the host's configuration maps <c>__</c> to <c>:</c>; <c>%Reco__RetrainSchedule%</c> would not resolve).
    /// </summary>
    [Function(nameof(Retrain))]
    public async Task Retrain([TimerTrigger("%Reco:RetrainSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await retrain.RunAsync(cancellationToken);
        logger.LogInformation("Retrain finished: {Outcome} {Version}", result.Outcome, result.Version);
        if (result.Outcome == RetrainOutcome.Promoted)
        {
            await servingModel.RefreshAsync();
        }
    }

    /// <summary>Every stored version, newest first, with its hold-out metrics and which one serves.</summary>
    [Function(nameof(ListModels))]
    public async Task<IActionResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/models")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var current = await registry.GetCurrentAsync(cancellationToken);
        var versions = await registry.ListAsync(cancellationToken);
        return JsonDefaults.Json(new
        {
            current = current?.Pointer,
            versions = versions.Select(v => new
            {
                version = v.Version,
                current = v.IsCurrent,
                complete = v.HasArtifact && v.Metrics is not null,
                metrics = v.Metrics,
            }),
        });
    }

    /// <summary>Makes a named version serve (a rollback, or a deliberate promotion past the gate).</summary>
    [Function(nameof(PromoteModel))]
    public async Task<IActionResult> PromoteModel(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/models/{version}/promote")] HttpRequest request,
        string version,
        CancellationToken cancellationToken)
    {
        if (!ModelRegistry.IsValidVersionName(version))
        {
            return Problems.BadRouteValue("version", "must be a version name (letters, digits, '-', '_', '.').");
        }

        try
        {
            var pointer = await registry.RollbackAsync(version, "promoted by an administrator", cancellationToken);
            logger.LogInformation("Model {Version} promoted by an administrator, replacing {PreviousVersion}", pointer.Version, pointer.PreviousVersion);
            await servingModel.RefreshAsync();
            return JsonDefaults.Json(pointer);
        }
        catch (UnknownModelVersionException)
        {
            return Problems.NotFound($"There is no model version '{version}'; GET /api/manage/models lists them.");
        }
        catch (BlobConditionFailedException)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "The current model changed meanwhile",
                "Another promotion happened while this one ran; check GET /api/manage/models and try again.");
        }
    }
}
