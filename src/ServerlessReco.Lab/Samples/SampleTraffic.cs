using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Lab.Samples;

/// <summary>
/// A little served traffic for the sample shop: some shoppers are served a list through the real serving path (so the
/// list is recorded as serving records every list), and click or buy from it, citing its <c>recommendationId</c>. So
/// the dashboard's exploration figures have something to show on a newcomer's first run.
/// </summary>
public static class SampleTraffic
{
    /// <summary>Serves <paramref name="shoppers"/> lists and stores the clicks and purchases they earn; returns how many lists were served.</summary>
    public static async Task<int> ServeAsync(
        RecommendationService serving, IEventStore events, IReadOnlyList<string> userIds, int seed, int shoppers = 120, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(userIds);
        var random = new Random(seed);
        var rewards = new List<BehaviorEvent>();
        var served = 0;
        foreach (var userId in userIds.Take(shoppers))
        {
            var list = await serving.RecommendAsync(new RecommendationRequest(userId), cancellationToken).ConfigureAwait(false);
            served++;
            for (var position = 0; position < list.Items.Count; position++)
            {
                // Shoppers look at the top of a list more: a click is likelier near the top, a purchase follows some clicks.
                if (random.NextDouble() < 0.25 / (1 + (position / 3.0)))
                {
                    rewards.Add(Reward(userId, list, position, EventType.Click, rewards.Count));
                    if (random.NextDouble() < 0.2)
                    {
                        rewards.Add(Reward(userId, list, position, EventType.Purchase, rewards.Count));
                    }
                }
            }
        }

        await events.AppendAsync(rewards, cancellationToken).ConfigureAwait(false);
        return served;
    }

    private static BehaviorEvent Reward(string userId, RecommendationList list, int position, EventType type, int index) => new()
    {
        EventId = $"sample-traffic-{index}",
        UserId = userId,
        ItemId = list.Items[position].ItemId,
        Type = type,
        Timestamp = DateTimeOffset.UtcNow,
        RecommendationId = list.RecommendationId,
    };
}
