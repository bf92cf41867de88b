using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Azure.Blob;
using ServerlessReco.Azure.Cosmos;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// Every settings section the hosts read, bound from configuration and checked when the host starts (the CLI
/// checks them before a command runs), so that a bad setting stops the start with its name rather than fails a request.
/// </summary>
public static class RecoSettings
{
    public static IServiceCollection AddRecoSettings(this IServiceCollection services, StoragePlan storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        services.AddOptions<RecoOptions>()
            .BindConfiguration(RecoOptions.Section)
            .Validate(o => o.RetentionDays >= 0, "Reco:RetentionDays must be 0 (keep forever) or more.")
            .Validate(o => o.ServedListRetentionDays >= 0, "Reco:ServedListRetentionDays must be 0 (keep forever) or more.")
            .Validate(o => o.PromotionTolerance is >= 0 and < 1, "Reco:PromotionTolerance must be at least 0 and below 1 (0.02 = 2%).")
            .Validate(o => o.PromotionStandardErrors is >= 0 and <= 10, "Reco:PromotionStandardErrors must be at least 0 and at most 10 (1.96 = a 95% interval).")
            .Validate(o => o.ModelVersionsToKeep >= 2, "Reco:ModelVersionsToKeep must be at least 2 (the champion and the one before it).")
            .Validate(o => o.RetrainMinimumEvents >= 1, "Reco:RetrainMinimumEvents must be at least 1.")
            .Validate(o => o.ClickModelMinimumLists >= 1, "Reco:ClickModelMinimumLists must be at least 1.")
            .Validate(o => o.ClickModelMinimumClicks >= 1, "Reco:ClickModelMinimumClicks must be at least 1.")
            .ValidateWith(o => o.AdaptiveRate().Problem())
            .Validate(o => o.RetrainLeaseSeconds is >= 15 and <= 3600, "Reco:RetrainLeaseSeconds must be 15 to 3600 (seconds a killed retrain can block the next).")
            .Validate(o => o.MaxCatalogItems is >= 1 and <= 10_000_000, "Reco:MaxCatalogItems must be 1 to 10,000,000 (items the catalogue may hold).")
            .Validate(o => o.ContentEmbeddingBudgetSeconds is >= 1 and <= 3600, "Reco:ContentEmbeddingBudgetSeconds must be 1 to 3600 (seconds a retrain may spend embedding).")
            .Validate(o => Enum.IsDefined(o.RetrainModel), $"Reco:RetrainModel must be {ModelKinds.Choices}.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PseudonymKey) || UserPseudonymiser.TryDecodeKey(o.PseudonymKey, out _, out _), PseudonymKey.InvalidMessage)
            .Validate(o => !storage.EventsInCosmos || !string.IsNullOrWhiteSpace(o.PseudonymKey), PseudonymKey.RequiredMessage)
            .ValidateOnStart();

        // Serving settings are read by retraining and the CLI too (the exploration settings decide what gets evaluated).
        services.AddOptions<ServingOptions>()
            .BindConfiguration(ServingOptions.Section)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();

        services.AddOptions<EmbeddedStoreOptions>().BindConfiguration(EmbeddedStoreOptions.Section);
        if (storage.EventsInCosmos)
        {
            services.AddOptions<CosmosStoreOptions>().BindConfiguration(CosmosStoreOptions.Section)
                .ValidateWith(o => o.Problem()).ValidateOnStart();
        }

        if (storage.ModelsInBlob)
        {
            services.AddOptions<BlobStoreOptions>().BindConfiguration(BlobStoreOptions.Section)
                .ValidateWith(o => o.Problem()).ValidateOnStart();
        }

        return services;
    }

    /// <summary>
    /// The retrain settings: trained on the retention window, gated and pruned as configured; its report evaluates
    /// other exploration rates with the serving settings' budget and boost, and its content challenger serves by their rules.
    /// </summary>
    public static RetrainOptions RetrainOptionsFrom(RecoOptions options, ServingOptions? serving = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        serving ??= new ServingOptions();
        return new()
        {
            Exploration = ExplorationEvaluationOptions.From(serving.ToExplorationSettings()),
            AdaptiveRate = options.AdaptiveRate(),
            Serving = serving,
            Trainer = new TrainerOptions { Model = options.RetrainModel },
            Tolerance = options.PromotionTolerance,
            StandardErrors = options.PromotionStandardErrors,
            VersionsToKeep = options.ModelVersionsToKeep,
            MinimumEvents = options.RetrainMinimumEvents,
            WindowDays = options.RetentionDays,
            LeaseDuration = TimeSpan.FromSeconds(options.RetrainLeaseSeconds),
            ClickModel = new Core.Clicks.ClickModelOptions
            {
                Enabled = options.ClickModel, MinimumLists = options.ClickModelMinimumLists, MinimumClicks = options.ClickModelMinimumClicks,
            },
        };
    }

    /// <summary>Checks the options with <paramref name="problem"/>, which names what is wrong or returns null.</summary>
    private static OptionsBuilder<T> ValidateWith<T>(this OptionsBuilder<T> builder, Func<T, string?> problem)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new ProblemValidator<T>(builder.Name, problem));
        return builder;
    }

    private sealed class ProblemValidator<T>(string? name, Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options) =>
            name is not null && name != optionsName ? ValidateOptionsResult.Skip
            : problem(options) is { } text ? ValidateOptionsResult.Fail(text)
            : ValidateOptionsResult.Success;
    }
}
