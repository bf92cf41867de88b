using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.LocalHost;

/// <summary>
/// Fills an empty store with the generated sample shop, so a newcomer can curl the API at once, and trains the first
/// model through the same retrain path the timer uses, so the first list is personal ("source": "model") rather than
/// the popularity fallback. A store that already has events is left alone: the sample must never mix into a real
/// shop's data.
/// </summary>
public static class SampleShopSeeder
{
    public const string Flag = "--sample-shop";
    private const int Seed = 42;

    public static async Task SeedIfEmptyAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        var events = services.GetRequiredService<IEventStore>();
        SampleShopData? shop = null;
        if (await events.CountAsync(cancellationToken) > 0)
        {
            logger.LogInformation("The store already holds events; the sample shop was not added");
        }
        else
        {
            shop = SampleShop.Generate(Seed, services.GetRequiredService<TimeProvider>().GetUtcNow());
            var stored = await shop.StoreAsync(services.GetRequiredService<IItemStore>(), events, cancellationToken);
            logger.LogInformation(
                "Sample shop added: {Items} items, {Events} events from {Users} shoppers (try user {ExampleUser})",
                shop.Items.Count, stored.Stored, shop.UserIds.Count, shop.UserIds[0]);
        }

        await TrainFirstModelAsync(services, logger, cancellationToken);
        if (shop is not null && services.GetService<RecommendationService>() is { } serving)
        {
            // Served lists and the clicks they earn, so the dashboard's exploration view has figures from the start.
            var lists = await SampleTraffic.ServeAsync(serving, events, shop.UserIds, Seed, cancellationToken: cancellationToken);
            logger.LogInformation("Sample traffic: {Lists} lists served to sample shoppers, with their clicks and purchases", lists);
        }
    }

    /// <summary>
    /// When no model serves yet, one retrain now (the hourly timer would get there, but a newcomer should not wait an
    /// hour for a personal list); serving then reloads so the next request uses it.
    /// </summary>
    private static async Task TrainFirstModelAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        if (await services.GetRequiredService<ModelRegistry>().GetCurrentAsync(cancellationToken) is not null)
        {
            return;
        }

        var result = await services.GetRequiredService<RetrainService>().RunAsync(cancellationToken);
        logger.LogInformation("First model: {Outcome} {Version} ({Reason})", result.Outcome, result.Version, result.Reason);
        if (services.GetService<RecommendationService>() is { } serving)
        {
            await serving.RefreshAsync();
        }
    }
}
