using ServerlessReco.Core.Storage;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.LocalHost;

/// <summary>
/// Fills an empty store with the generated sample shop, so a newcomer can curl the API at once.
/// A store that already has events is left alone: the sample must never mix into a real shop's data.
/// </summary>
public static class SampleShopSeeder
{
    public const string Flag = "--sample-shop";
    private const int Seed = 42;

    public static async Task SeedIfEmptyAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        var events = services.GetRequiredService<IEventStore>();
        if (await events.CountAsync(cancellationToken) > 0)
        {
            logger.LogInformation("The store already holds events; the sample shop was not added");
            return;
        }

        var shop = SampleShop.Generate(Seed, services.GetRequiredService<TimeProvider>().GetUtcNow());
        var stored = await shop.StoreAsync(services.GetRequiredService<IItemStore>(), events, cancellationToken);
        logger.LogInformation(
            "Sample shop added: {Items} items, {Events} events from {Users} shoppers (try user {ExampleUser})",
            shop.Items.Count, stored.Stored, shop.UserIds.Count, shop.UserIds[0]);
    }
}
