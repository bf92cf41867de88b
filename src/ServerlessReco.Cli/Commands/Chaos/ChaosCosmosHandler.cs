using System.Net;
using Microsoft.Azure.Cosmos;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Outcomes;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// A Cosmos DB SDK request handler that injects the <see cref="FaultPlan"/>'s faults with Polly's chaos strategies.
/// Custom handlers run above the SDK's retry handler, so an injected 429 is what a caller sees once the SDK's own
/// retries are spent. Registered only by <c>reco chaos</c> (through <see cref="Hosting.StoreClientHooks"/>).
/// </summary>
internal sealed class ChaosCosmosHandler : RequestHandler
{
    private static readonly (HttpStatusCode Status, string Kind)[] Answers =
    [
        (HttpStatusCode.TooManyRequests, "cosmos 429"),
        (HttpStatusCode.ServiceUnavailable, "cosmos 503"),
        (HttpStatusCode.RequestTimeout, "cosmos 408 timeout"),
    ];

    private readonly ResiliencePipeline<ResponseMessage> _before;
    private readonly ResiliencePipeline _after;

    public ChaosCosmosHandler(FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var answers = new OutcomeGenerator<ResponseMessage>();
        foreach (var (status, kind) in Answers)
        {
            answers.AddResult(context => Answer(status, kind, context));
        }

        _before = new ResiliencePipelineBuilder<ResponseMessage>()
            .AddChaosFault(plan.DroppedBefore("cosmos"))
            .AddChaosOutcome(new ChaosOutcomeStrategyOptions<ResponseMessage>
            {
                InjectionRate = plan.Rate / 2 / (1 - (plan.Rate / 4)), // of the calls the first strategy let through
                Randomizer = plan.Next,
                EnabledGenerator = _ => ValueTask.FromResult(plan.Enabled),
                OutcomeGenerator = answers,
                OnOutcomeInjected = args =>
                {
                    plan.Record(args.Outcome.Result?.Headers["x-reco-chaos"] ?? "cosmos answer");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        _after = plan.DroppedAfter("cosmos");
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _before.ExecuteAsync(async ct => await base.SendAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotModified)
        {
            await _after.ExecuteAsync(_ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static ResponseMessage Answer(HttpStatusCode status, string kind, ResilienceContext context)
    {
        _ = context;
        var response = new ResponseMessage(status, requestMessage: null, errorMessage: $"{kind} (injected)");
        response.Headers["x-reco-chaos"] = kind;
        return response;
    }
}
