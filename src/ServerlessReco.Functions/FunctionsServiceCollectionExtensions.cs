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
            // The list answers of the keyed routes and of their anonymous twins.
            .AddTransient<ListRequests>()
            // The dashboard's daily figures, kept per process (ActivityFunctions).
            .AddSingleton<ShopActivity>();

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
            sp.GetRequiredService<ILogger<RecommendationService>>()));
        return services;
    }
}
