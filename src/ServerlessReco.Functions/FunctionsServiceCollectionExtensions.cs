using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Activity;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Hosting;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Functions;

/// <summary>What the function classes need, registered the same way by the Functions host and the local host.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddRecoFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRecoCore(configuration).AddRecoServing(configuration)
            // Who is asking, decided once per request from the route and its shopper token (RequestCallers).
            .AddShopperTokens()
            .AddSingleton<RequestCallers>()
            .AddClientRateLimits()
            // The list answers of the keyed routes and of their anonymous twins.
            .AddTransient<ListRequests>()
            // The dashboard's daily figures, kept per process (ActivityFunctions).
            .AddSingleton<ShopActivity>();

    /// <summary>The client routes' rate limits: settings (section <c>RateLimits</c>) bound and checked once at start, one limiter per process.</summary>
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>>(new ProblemValidator<RateLimitOptions>(o => o.Problem()));
        return services.AddSingleton(sp => new ClientRateLimits(sp.GetRequiredService<IOptions<RateLimitOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>Fails the start with the settings' own message, which names the setting.</summary>
    private sealed class ProblemValidator<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } text ? ValidateOptionsResult.Fail(text) : ValidateOptionsResult.Success;
    }

    /// <summary>Serving: one model cache and one recommendation service per process (settings bound by AddRecoCore, section <c>Serving</c>).</summary>
    public static IServiceCollection AddRecoServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new ModelCache(
            sp.GetRequiredService<IModelBlobStore>(),
            sp.GetRequiredService<IOptions<ServingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelCache>>()));
        services.AddSingleton(sp => new RecommendationService(
            sp.GetRequiredService<ModelCache>(),
            sp.GetRequiredService<IItemStore>(),
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IServedListStore>(),
            sp.GetRequiredService<IOptions<ServingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RecommendationService>>(),
            shopperKey: sp.GetRequiredService<Core.Privacy.UserPseudonymiser>().Pseudonymise)); // the click model's counts are by pseudonym, as the served lists
        return services;
    }
}
