using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Content;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco retrain</c>: one retrain run against the configured store, as the timer runs it, with its log.</summary>
public sealed class RetrainCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public RetrainCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("retrain", "Retrain once now: skip if nothing changed, promote the challenger only if the gate lets it through.")
    {
        _environment = environment;
        Details = $"""
            Runs what the Retrain timer runs: appends what the store's change feed has since the last run to the training
            segments (in the model store, under training/), skips when their rows did not change, reads the retention
            window from them, trains a challenger, scores it against the serving model and popularity on each user's newest
            items, publishes it as models/VERSION/ and promotes it unless it is worse than the champion or popularity beyond
            noise: the paired per-user nDCG@10 difference's interval of Reco__PromotionStandardErrors standard errors lies
            below -Reco__PromotionTolerance x theirs (coverage: within the tolerance of the champion's; the first model
            faces popularity alone). Prints every step and the decision. Exit code 0 whatever the decision.
            Settings: Reco__PromotionTolerance (0.02), Reco__PromotionStandardErrors (1.96), Reco__ModelVersionsToKeep (10), Reco__RetrainMinimumEvents (100),
            Reco__RetrainModel (auto), Reco__RetrainLeaseSeconds (120: a run skips while another holds the lease).
            {StoreOptions.EnvironmentNote}
            """;
        _store.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
        var clock = services.GetRequiredService<TimeProvider>();
        var service = new RetrainService(
            services.GetRequiredService<IEventChangeFeed>(),
            services.GetRequiredService<IServedListStore>(),
            services.GetRequiredService<ModelRegistry>(),
            services.GetRequiredService<RetrainOptions>(),
            clock,
            new TextWriterLogger<RetrainService>(output, clock),
            services.GetService<CatalogEmbedding>(),
            services.GetService<IItemStore>(),
            services.GetService<Core.Clicks.IClickModelTrainer>());

        output.WriteLine($"retrain on {RecoComposition.DescribeStorage(services)}");
        var result = await service.RunAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"decision: {result}");
        return 0;
    }
}
