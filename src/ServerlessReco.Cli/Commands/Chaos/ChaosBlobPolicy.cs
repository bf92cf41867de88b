using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// An Azure.Core pipeline policy for the Blob client that injects the <see cref="FaultPlan"/>'s faults with Polly's
/// chaos strategies: 503 server busy, 429 throttled, 408 timed out (as the SDK throws them once its retries are spent:
/// the policy sits per call, above the retry policy) and connections dropped before or after the request.
/// Registered only by <c>reco chaos</c> (through <see cref="Hosting.StoreClientHooks"/>).
/// </summary>
internal sealed class ChaosBlobPolicy : HttpPipelinePolicy
{
    private readonly ResiliencePipeline _before;
    private readonly ResiliencePipeline _after;

    public ChaosBlobPolicy(FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var answers = new FaultGenerator()
            .AddException(() => Answer(plan, 503, "ServerBusy", "blob 503"))
            .AddException(() => Answer(plan, 429, "TooManyRequests", "blob 429"))
            .AddException(() => Answer(plan, 408, "OperationTimedOut", "blob 408 timeout"));
        _before = new ResiliencePipelineBuilder()
            .AddChaosFault(plan.DroppedBefore("blob"))
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = plan.Rate / 2 / (1 - (plan.Rate / 4)),
                Randomizer = plan.Next,
                EnabledGenerator = _ => ValueTask.FromResult(plan.Enabled),
                FaultGenerator = answers,
            })
            .Build();
        _after = plan.DroppedAfter("blob");
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await _before.ExecuteAsync(async _ => await ProcessNextAsync(message, pipeline).ConfigureAwait(false), message.CancellationToken).ConfigureAwait(false);
        await _after.ExecuteAsync(_ => ValueTask.CompletedTask, message.CancellationToken).ConfigureAwait(false);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _before.Execute(() => ProcessNext(message, pipeline));
        _after.Execute(() => { });
    }

    /// <summary>The exception the Blob SDK throws for such an answer; counted when it is made, that is when it is injected.</summary>
    private static RequestFailedException Answer(FaultPlan plan, int status, string errorCode, string kind)
    {
        plan.Record(kind);
        return new RequestFailedException(status, $"{kind} (injected)", errorCode, innerException: null);
    }
}
