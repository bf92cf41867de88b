using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Hosting;

/// <summary>
/// How long the stores keep events and served lists, built once from <see cref="RecoOptions"/> and shared by the
/// adapters and the start-up step that sets Cosmos DB's time-to-live, so each policy is made in one place.
/// </summary>
public sealed record StoreRetention(RetentionPolicy Events, RetentionPolicy ServedLists)
{
    public static StoreRetention From(RecoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(new RetentionPolicy(options.RetentionDays), new RetentionPolicy(options.ServedListRetentionDays));
    }
}

internal static class StoreRetentionRegistration
{
    /// <summary>The two policies, built once; the events' one also as <see cref="RetentionPolicy"/> itself, which the event stores take.</summary>
    public static IServiceCollection AddStoreRetention(this IServiceCollection services) => services
        .AddSingleton(sp => StoreRetention.From(sp.GetRequiredService<IOptions<RecoOptions>>().Value))
        .AddSingleton(sp => sp.GetRequiredService<StoreRetention>().Events);
}
